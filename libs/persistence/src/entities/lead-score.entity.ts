import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { ContactEntity } from './contact.entity';

/** The current score of a contact under the active model version. */
@Entity({ name: 'lead_scores' })
@Index('ix_lead_scores_total', ['workspaceId', 'total', 'contactId'])
@Index('ix_lead_scores_tier', ['workspaceId', 'tier'])
export class LeadScoreEntity {
  @PrimaryColumn('uuid')
  workspaceId!: string;

  @PrimaryColumn('uuid')
  contactId!: string;

  @Column('uuid')
  modelVersionId!: string;

  @Column('double precision')
  fit!: number;

  @Column('double precision')
  engagement!: number;

  @Column('double precision')
  negative!: number;

  @Column('double precision')
  total!: number;

  @Column('varchar', { length: 50 })
  tier!: string;

  /** When the contact entered its current tier (how long a sales-ready lead has waited). */
  @Column('timestamptz', { default: () => 'now()' })
  tierSince!: Date;

  @Column('varchar', { length: 20 })
  grade!: string;

  @Column('varchar', { length: 40 })
  quadrant!: string;

  @Column('varchar', { length: 30 })
  action!: string;

  @Column('jsonb', { nullable: true })
  override!: { ruleId: string; label: string; activityAt: string } | null;

  @Column('jsonb')
  reasons!: unknown[];

  @Column('timestamptz', { nullable: true })
  lastActivityAt!: Date | null;

  @Column('timestamptz')
  computedAt!: Date;

  @ManyToOne(() => ContactEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'workspace_id', referencedColumnName: 'workspaceId' },
    { name: 'contact_id', referencedColumnName: 'id' },
  ])
  contact?: Relation<ContactEntity>;
}
