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

/** What really happened to a contact or an account: the ground truth models are judged by. */
@Entity({ name: 'outcomes' })
@Index('uq_outcomes_external_id', ['workspaceId', 'externalId'], { unique: true })
@Index('ix_outcomes_contact', ['workspaceId', 'contactId', 'occurredAt'])
@Index('ix_outcomes_account', ['workspaceId', 'accountId', 'occurredAt'])
export class OutcomeEntity {
  @PrimaryColumn('uuid')
  workspaceId!: string;

  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column('uuid', { nullable: true })
  contactId!: string | null;

  @Column('uuid', { nullable: true })
  accountId!: string | null;

  /** OPPORTUNITY_CREATED, WON or LOST. */
  @Column('varchar', { length: 30 })
  type!: string;

  @Column('timestamptz')
  occurredAt!: Date;

  @Column('double precision', { nullable: true })
  amount!: number | null;

  @Column('varchar', { length: 200 })
  externalId!: string;

  @Column('timestamptz', { default: () => 'now()' })
  receivedAt!: Date;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Relation<WorkspaceEntity>;
}
