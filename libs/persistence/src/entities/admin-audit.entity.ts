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
 * Append-only record of administrative actions: keys created and revoked, models
 * trained, published and rolled back, contacts erased. Erasure keeps the contact id, never the person.
 */
@Entity({ name: 'admin_audit_log' })
@Index('ix_admin_audit_log_at', ['workspaceId', 'at'])
export class AdminAuditEntity {
  @PrimaryColumn('uuid')
  workspaceId!: string;

  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  /**
   * API_KEY_CREATED, API_KEY_REVOKED, MODEL_TRAINED, MODEL_PUBLISHED, MODEL_ROLLED_BACK,
   * CONTACT_ERASED.
   */
  @Column('varchar', { length: 40 })
  action!: string;

  /** The API key that acted; null for the server admin token or the system. */
  @Column('uuid', { nullable: true })
  actorKeyId!: string | null;

  @Column('varchar', { length: 30 })
  targetType!: string;

  @Column('varchar', { length: 100 })
  targetId!: string;

  @Column('jsonb', { default: () => "'{}'" })
  details!: Record<string, unknown>;

  @Column('timestamptz')
  at!: Date;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Relation<WorkspaceEntity>;
}
