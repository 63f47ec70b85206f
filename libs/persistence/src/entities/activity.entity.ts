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
import { AccountEntity } from './account.entity';
import { ContactEntity } from './contact.entity';

@Entity({ name: 'activities' })
@Index('uq_activities_external_id', ['workspaceId', 'externalId'], { unique: true })
@Index('ix_activities_contact', ['workspaceId', 'contactId', 'occurredAt'])
@Index('ix_activities_account', ['workspaceId', 'accountId', 'occurredAt'])
export class ActivityEntity {
  @PrimaryColumn('uuid')
  workspaceId!: string;

  /** bigint comes back from pg as a string, which is also how GraphQL carries it. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column('uuid', { nullable: true })
  contactId!: string | null;

  @Column('uuid', { nullable: true })
  accountId!: string | null;

  @Column('varchar', { length: 30 })
  type!: string;

  @Column('timestamptz')
  occurredAt!: Date;

  @Column('jsonb', { default: () => "'{}'" })
  properties!: Record<string, unknown>;

  @Column('varchar', { length: 200 })
  externalId!: string;

  @Column('timestamptz', { default: () => 'now()' })
  receivedAt!: Date;

  @ManyToOne(() => ContactEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'workspace_id', referencedColumnName: 'workspaceId' },
    { name: 'contact_id', referencedColumnName: 'id' },
  ])
  contact?: Relation<ContactEntity>;

  @ManyToOne(() => AccountEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'workspace_id', referencedColumnName: 'workspaceId' },
    { name: 'account_id', referencedColumnName: 'id' },
  ])
  account?: Relation<AccountEntity>;
}
