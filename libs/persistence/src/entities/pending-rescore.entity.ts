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

/**
 * A contact or account whose score may be stale. Written in the same transaction as the
 * change that made it stale, deleted by the rescore that read the change, when it commits:
 * PostgreSQL, not Redis, remembers what still needs scoring, so a lost job is found again.
 */
@Entity({ name: 'pending_rescores' })
@Index('ix_pending_rescores_since', ['since'])
export class PendingRescoreEntity {
  @PrimaryColumn('uuid')
  workspaceId!: string;

  /** CONTACT or ACCOUNT. */
  @PrimaryColumn('varchar', { length: 10 })
  entityType!: string;

  @PrimaryColumn('uuid')
  entityId!: string;

  @Column('timestamptz', { default: () => 'now()' })
  since!: Date;

  /** Grows with every write that marks it: a rescore deletes only the generation it read. */
  @Column('integer', { default: 0 })
  generation!: number;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Relation<WorkspaceEntity>;
}
