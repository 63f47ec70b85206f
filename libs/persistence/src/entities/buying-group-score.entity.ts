import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { BuyingGroupEntity } from './buying-group.entity';

/** Engagement and completeness of one buying group, stored with its account's score. */
@Entity({ name: 'buying_group_scores' })
@Index('ix_buying_group_scores_account', ['workspaceId', 'accountId'])
export class BuyingGroupScoreEntity {
  @PrimaryColumn('uuid')
  workspaceId!: string;

  @PrimaryColumn('uuid')
  buyingGroupId!: string;

  @Column('uuid')
  accountId!: string;

  /** 0–100. */
  @Column('double precision')
  engagement!: number;

  @Column('double precision')
  completeness!: number;

  @Column('double precision')
  engagedCompleteness!: number;

  @Column('text', { array: true })
  missingRoles!: string[];

  @Column('text', { array: true })
  engagedRoles!: string[];

  /** contactId → engaged, for member rows. */
  @Column('jsonb')
  members!: { contactId: string; role: string; engaged: boolean }[];

  @Column('timestamptz')
  computedAt!: Date;

  @ManyToOne(() => BuyingGroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'workspace_id', referencedColumnName: 'workspaceId' },
    { name: 'buying_group_id', referencedColumnName: 'id' },
  ])
  buyingGroup?: Relation<BuyingGroupEntity>;
}
