import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { WorkspaceEntity } from './workspace.entity';

/** A full rescore of a workspace after a publish or rollback, with its progress. */
@Entity({ name: 'scoring_backfills' })
@Index('ix_scoring_backfills_created', ['workspaceId', 'createdAt'])
export class ScoringBackfillEntity {
  @PrimaryColumn('uuid')
  workspaceId!: string;

  @PrimaryColumn('uuid')
  id!: string;

  /** PENDING, RUNNING, COMPLETED or FAILED. */
  @Column('varchar', { length: 20 })
  status!: string;

  @Column('varchar', { length: 40 })
  cause!: string;

  @Column('uuid')
  modelVersionId!: string;

  /** Contacts plus accounts to rescore. */
  @Column('integer', { default: 0 })
  total!: number;

  @Column('integer', { default: 0 })
  done!: number;

  @Column('integer', { default: 0 })
  failed!: number;

  /** Where a retried job resumes: CONTACT or ACCOUNT, and the last id finished. */
  @Column('varchar', { length: 10, default: 'CONTACT' })
  phase!: string;

  @Column('uuid', { nullable: true })
  cursor!: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  startedAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  finishedAt!: Date | null;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Relation<WorkspaceEntity>;
}
