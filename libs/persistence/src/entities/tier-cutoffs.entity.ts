import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { WorkspaceEntity } from './workspace.entity';

/**
 * The cut-offs of a version's tiers set by share (`topShare`), kept current as the workspace's
 * scores move: tier name → lowest total, for leads and for accounts. Workspace state, not part
 * of the immutable version; scoring reads it with the active version.
 */
@Entity({ name: 'tier_cutoffs' })
export class TierCutoffsEntity {
  @PrimaryColumn('uuid')
  workspaceId!: string;

  @PrimaryColumn('uuid')
  modelVersionId!: string;

  /** Tier name → lowest lead total. */
  @Column('jsonb')
  lead!: Record<string, number>;

  /** Tier name → lowest account total. */
  @Column('jsonb')
  account!: Record<string, number>;

  /** Scores the cut-offs were placed on. */
  @Column('integer')
  leadScores!: number;

  @Column('integer')
  accountScores!: number;

  @Column('timestamptz')
  computedAt!: Date;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Relation<WorkspaceEntity>;
}
