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
import { ContactEntity } from './contact.entity';

/** Append-only: a contact's lifecycle stage moved (LEAD → MQL → SQL) or was reactivated. */
@Entity({ name: 'lifecycle_events' })
@Index('ix_lifecycle_events_contact', ['workspaceId', 'contactId', 'at'])
export class LifecycleEventEntity {
  @PrimaryColumn('uuid')
  workspaceId!: string;

  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column('uuid')
  contactId!: string;

  @Column('varchar', { length: 20 })
  fromStage!: string;

  @Column('varchar', { length: 20 })
  toStage!: string;

  @Column('boolean')
  reactivated!: boolean;

  @Column('varchar', { length: 40, default: 'ACTIVITY' })
  cause!: string;

  @Column('uuid')
  modelVersionId!: string;

  @Column('double precision')
  total!: number;

  @Column('timestamptz')
  at!: Date;

  @ManyToOne(() => ContactEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'workspace_id', referencedColumnName: 'workspaceId' },
    { name: 'contact_id', referencedColumnName: 'id' },
  ])
  contact?: Relation<ContactEntity>;
}
