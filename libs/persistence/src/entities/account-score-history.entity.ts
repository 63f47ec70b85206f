import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { AccountEntity } from './account.entity';

/** Append-only: one row each time an account's total or tier changed. */
@Entity({ name: 'account_score_history' })
@Index('ix_account_score_history_account', ['workspaceId', 'accountId', 'at'])
@Index('ix_account_score_history_at', ['workspaceId', 'at'])
export class AccountScoreHistoryEntity {
  @PrimaryColumn('uuid')
  workspaceId!: string;

  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column('uuid')
  accountId!: string;

  @Column('uuid')
  modelVersionId!: string;

  @Column('double precision', { nullable: true })
  oldTotal!: number | null;

  @Column('double precision')
  newTotal!: number;

  @Column('varchar', { length: 50, nullable: true })
  oldTier!: string | null;

  @Column('varchar', { length: 50 })
  newTier!: string;

  @Column('varchar', { length: 40 })
  cause!: string;

  /** The reasons of the new score, so a change explains itself later (and on replay). */
  @Column('jsonb', { nullable: true })
  reasons!: unknown[] | null;

  @Column('timestamptz')
  at!: Date;

  @ManyToOne(() => AccountEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'workspace_id', referencedColumnName: 'workspaceId' },
    { name: 'account_id', referencedColumnName: 'id' },
  ])
  account?: Relation<AccountEntity>;
}
