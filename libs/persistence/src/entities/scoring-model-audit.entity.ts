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

/** Who published or rolled back which model version, and when. Append-only. */
@Entity({ name: 'scoring_model_audit' })
@Index('ix_scoring_model_audit_at', ['workspaceId', 'at'])
export class ScoringModelAuditEntity {
  @PrimaryColumn('uuid')
  workspaceId!: string;

  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  /** PUBLISH or ROLLBACK. */
  @Column('varchar', { length: 20 })
  action!: string;

  @Column('uuid', { nullable: true })
  fromVersionId!: string | null;

  @Column('uuid')
  toVersionId!: string;

  /** The API key that acted, or null for the system (e.g. the default model). */
  @Column('uuid', { nullable: true })
  actorKeyId!: string | null;

  @Column('timestamptz')
  at!: Date;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Relation<WorkspaceEntity>;
}
