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

/** A version of a workspace's scoring model. Immutable once published. */
@Entity({ name: 'scoring_model_versions' })
@Index('uq_scoring_model_versions_version', ['workspaceId', 'version'], { unique: true })
@Index('uq_scoring_model_versions_active', ['workspaceId'], { unique: true, where: '"is_active"' })
export class ScoringModelVersionEntity {
  @PrimaryColumn('uuid')
  workspaceId!: string;

  @PrimaryColumn('uuid')
  id!: string;

  @Column('integer')
  version!: number;

  /** DRAFT or PUBLISHED. */
  @Column('varchar', { length: 20 })
  status!: string;

  @Column('varchar', { length: 200, nullable: true })
  description!: string | null;

  @Column('jsonb')
  definition!: Record<string, unknown>;

  @Column('uuid', { nullable: true })
  basedOnId!: string | null;

  @Column('boolean', { default: false })
  isActive!: boolean;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  publishedAt!: Date | null;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Relation<WorkspaceEntity>;
}
