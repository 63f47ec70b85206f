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

@Entity({ name: 'accounts' })
@Index('uq_accounts_domain', ['workspaceId', 'domain'], { unique: true })
@Index('ix_accounts_owner', ['workspaceId', 'ownerId'])
@Index('ix_accounts_created', ['workspaceId', 'createdAt', 'id'])
export class AccountEntity {
  @PrimaryColumn('uuid')
  workspaceId!: string;

  @PrimaryColumn('uuid')
  id!: string;

  /** Normalised: lower case, no scheme, no www., no path. */
  @Column('varchar', { length: 253 })
  domain!: string;

  @Column('varchar', { length: 300, nullable: true })
  name!: string | null;

  @Column('varchar', { length: 120, nullable: true })
  industry!: string | null;

  @Column('integer', { nullable: true })
  employeeCount!: number | null;

  @Column('double precision', { nullable: true })
  annualRevenue!: number | null;

  @Column('varchar', { length: 100, nullable: true })
  country!: string | null;

  @Column('varchar', { length: 100, nullable: true })
  region!: string | null;

  @Column('text', { array: true, default: () => "'{}'" })
  technologies!: string[];

  @Column('varchar', { length: 100, nullable: true })
  ownerId!: string | null;

  @Column('jsonb', { default: () => "'{}'" })
  attributes!: Record<string, unknown>;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt!: Date;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Relation<WorkspaceEntity>;
}
