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
import { WorkspaceEntity } from './workspace.entity';

/**
 * A contact or account whose score may be stale. Written in the same transaction as the
 * change that made it stale, deleted at the start of the rescore that reads the change:
 * PostgreSQL, not Redis, remembers what still needs scoring, so a lost job is found again.
 * Append-only (one row per write, not one per entity): a write never waits for a rescore
 * that is claiming the entity's earlier markers.
 */
@Entity({ name: 'pending_rescores' })
@Index('ix_pending_rescores_since', ['since'])
@Index('ix_pending_rescores_entity', ['workspaceId', 'entityType', 'entityId'])
@Index('ix_pending_rescores_waiting', ['workspaceId', 'entityType', 'since', 'id'])
export class PendingRescoreEntity {
  @PrimaryColumn('uuid')
  workspaceId!: string;

  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  /** CONTACT or ACCOUNT. */
  @Column('varchar', { length: 10 })
  entityType!: string;

  @Column('uuid')
  entityId!: string;

  @Column('timestamptz', { default: () => 'now()' })
  since!: Date;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Relation<WorkspaceEntity>;
}
