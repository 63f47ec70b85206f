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

/** Append-only: one row each time a contact's total or tier changed. */
@Entity({ name: 'lead_score_history' })
@Index('ix_lead_score_history_contact', ['workspaceId', 'contactId', 'at'])
export class LeadScoreHistoryEntity {
  @PrimaryColumn('uuid')
  workspaceId!: string;

  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column('uuid')
  contactId!: string;

  @Column('uuid')
  modelVersionId!: string;

  @Column('double precision', { nullable: true })
  oldTotal!: number | null;

  @Column('double precision')
  newTotal!: number;

  @Column('varchar', { length: 50, nullable: true })
  oldTier!: string | null;

  @Column('varchar', { length: 50 })
  newTier!: string;

  @Column('varchar', { length: 40 })
  cause!: string;

  /** The reasons of the new score, so a change explains itself later (and on replay). */
  @Column('jsonb', { nullable: true })
  reasons!: unknown[] | null;

  @Column('timestamptz')
  at!: Date;

  @ManyToOne(() => ContactEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'workspace_id', referencedColumnName: 'workspaceId' },
    { name: 'contact_id', referencedColumnName: 'id' },
  ])
  contact?: Relation<ContactEntity>;
}
