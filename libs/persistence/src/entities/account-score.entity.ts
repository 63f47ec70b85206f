import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { AccountEntity } from './account.entity';

/** The current score of an account under the active model version. */
@Entity({ name: 'account_scores' })
@Index('ix_account_scores_priority', ['workspaceId', 'total', 'accountId'])
@Index('ix_account_scores_change', ['workspaceId', 'scoreChange', 'accountId'])
@Index('ix_account_scores_last_activity', ['workspaceId', 'lastActivityAt', 'accountId'])
export class AccountScoreEntity {
  @PrimaryColumn('uuid')
  workspaceId!: string;

  @PrimaryColumn('uuid')
  accountId!: string;

  @Column('uuid')
  modelVersionId!: string;

  @Column('double precision')
  fit!: number;

  @Column('double precision')
  rollup!: number;

  @Column('double precision')
  committee!: number;

  @Column('double precision')
  intent!: number;

  @Column('double precision')
  engagement!: number;

  @Column('double precision')
  total!: number;

  /** The total's last move (new − old), for "biggest movers" ordering. */
  @Column('double precision', { default: 0 })
  scoreChange!: number;

  @Column('varchar', { length: 50 })
  tier!: string;

  /** When the account entered its current tier. */
  @Column('timestamptz')
  tierSince!: Date;

  @Column('varchar', { length: 40 })
  quadrant!: string;

  @Column('varchar', { length: 30 })
  action!: string;

  @Column('integer')
  engagedContacts!: number;

  @Column('double precision')
  coverage!: number;

  @Column('boolean')
  decisionMakerEngaged!: boolean;

  @Column('boolean')
  surging!: boolean;

  @Column('jsonb')
  signals!: Record<string, unknown>;

  @Column('jsonb')
  reasons!: unknown[];

  @Column('timestamptz', { nullable: true })
  lastActivityAt!: Date | null;

  @Column('timestamptz')
  computedAt!: Date;

  @ManyToOne(() => AccountEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'workspace_id', referencedColumnName: 'workspaceId' },
    { name: 'account_id', referencedColumnName: 'id' },
  ])
  account?: Relation<AccountEntity>;
}
