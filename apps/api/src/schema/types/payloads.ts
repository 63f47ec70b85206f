import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Account } from './account.type';
import { Contact } from './contact.type';

@ObjectType()
export class UpsertAccountsPayload {
  @Field(() => [Account], { description: 'The stored accounts, in input order.' })
  accounts!: Account[];

  @Field(() => Int)
  created!: number;

  @Field(() => Int)
  updated!: number;
}

@ObjectType()
export class UpsertContactsPayload {
  @Field(() => [Contact], { description: 'The stored contacts, in input order.' })
  contacts!: Contact[];

  @Field(() => Int)
  created!: number;

  @Field(() => Int)
  updated!: number;

  @Field(() => Int, { description: 'Accounts created from email or account domains.' })
  accountsCreated!: number;
}

@ObjectType()
export class RecordActivitiesPayload {
  @Field({
    description:
      'True when rescoring could not be queued (Redis unreachable); the activities are stored and will be scored later.',
  })
  scoringDelayed!: boolean;

  @Field(() => Int, { description: 'New activities, committed to PostgreSQL.' })
  accepted!: number;

  @Field(() => Int, {
    description: 'Activities whose externalId was already stored (or repeated in this call).',
  })
  duplicates!: number;

  @Field(() => Int, { description: 'Contacts created for emails seen for the first time.' })
  contactsCreated!: number;
}

@ObjectType()
export class DeleteContactPayload {
  @Field(() => ID)
  deletedContactId!: string;
}
