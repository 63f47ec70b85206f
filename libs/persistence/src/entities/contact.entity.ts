import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { AccountEntity } from './account.entity';
import { WorkspaceEntity } from './workspace.entity';

@Entity({ name: 'contacts' })
@Index('uq_contacts_email', ['workspaceId', 'email'], { unique: true })
@Index('ix_contacts_account', ['workspaceId', 'accountId'])
@Index('ix_contacts_created', ['workspaceId', 'createdAt', 'id'])
export class ContactEntity {
  @PrimaryColumn('uuid')
  workspaceId!: string;

  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { nullable: true })
  accountId!: string | null;

  /** Lower case, trimmed. */
  @Column('varchar', { length: 320 })
  email!: string;

  @Column('varchar', { length: 100, nullable: true })
  firstName!: string | null;

  @Column('varchar', { length: 100, nullable: true })
  lastName!: string | null;

  @Column('varchar', { length: 200, nullable: true })
  title!: string | null;

  @Column('varchar', { length: 50, nullable: true })
  seniority!: string | null;

  @Column('varchar', { length: 100, nullable: true })
  department!: string | null;

  @Column('varchar', { length: 100, nullable: true })
  country!: string | null;

  @Column('boolean', { default: false })
  unsubscribed!: boolean;

  @Column('varchar', { length: 20, default: 'LEAD' })
  lifecycleStage!: string;

  @Column('jsonb', { default: () => "'{}'" })
  attributes!: Record<string, unknown>;

  /** Set while a qualified contact's score is below the MQL threshold (for reactivation). */
  @Column('timestamptz', { nullable: true })
  belowMqlSince!: Date | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt!: Date;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Relation<WorkspaceEntity>;

  @ManyToOne(() => AccountEntity, { onDelete: 'NO ACTION' })
  @JoinColumn([
    { name: 'workspace_id', referencedColumnName: 'workspaceId' },
    { name: 'account_id', referencedColumnName: 'id' },
  ])
  account?: Relation<AccountEntity>;
}
