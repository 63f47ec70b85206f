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

@Entity({ name: 'api_keys' })
@Index('uq_api_keys_hash', ['workspaceId', 'keyHash'], { unique: true })
export class ApiKeyEntity {
  @PrimaryColumn('uuid')
  workspaceId!: string;

  @PrimaryColumn('uuid')
  id!: string;

  @Column('varchar', { length: 100 })
  name!: string;

  /** SHA-256 of the secret part, hex. The key itself is shown once and never stored. */
  @Column('char', { length: 64 })
  keyHash!: string;

  /** The first characters of the key, so an operator can tell keys apart. */
  @Column('varchar', { length: 32 })
  displayPrefix!: string;

  @Column('text', { array: true })
  scopes!: string[];

  @Column('timestamptz', { default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  revokedAt!: Date | null;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Relation<WorkspaceEntity>;
}
