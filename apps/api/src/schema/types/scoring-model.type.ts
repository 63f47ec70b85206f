import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Connection } from './connection';
import { Contact } from './contact.type';
import { ScoringModelDefinitionDef } from './model-definition.type';
import { ScoreBreakdown, ScoreReason } from './lead-score.type';
import { Account } from './account.type';

@ObjectType({ description: 'A version of the scoring model. Immutable once published.' })
export class ScoringModelVersion {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  version!: number;

  @Field({ description: 'DRAFT or PUBLISHED.' })
  status!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => ScoringModelDefinitionDef, { description: 'The model, typed.' })
  definition!: Record<string, unknown>;

  @Field(() => ID, { nullable: true })
  basedOnId!: string | null;

  @Field()
  isActive!: boolean;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  publishedAt!: Date | null;
}

@ObjectType({ description: 'Where a tier starts now.' })
export class TierPlacement {
  @Field({ description: 'CONTACT (lead tiers) or ACCOUNT.' }) entity!: string;
  @Field() tier!: string;
  @Field(() => Float, { description: 'The lowest total in the tier now.' }) min!: number;
  @Field(() => Float, { nullable: true }) topShare!: number | null;
  @Field({
    description:
      'True when the workspace’s scores place a tier set by share (kept current by the worker); false when the tier’s own min applies.',
  })
  placed!: boolean;
  @Field(() => Int, { description: 'Scores the cut-offs were placed on.' }) scores!: number;
  @Field(() => Date, { nullable: true }) computedAt!: Date | null;
}

@ObjectType()
export class ScoringModelAuditEntry {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'PUBLISH or ROLLBACK.' })
  action!: string;

  @Field(() => ID, { nullable: true })
  fromVersionId!: string | null;

  @Field(() => ID)
  toVersionId!: string;

  @Field(() => ID, { nullable: true, description: 'The API key that acted; null for the system.' })
  actorKeyId!: string | null;

  @Field()
  at!: Date;
}

export const ScoringModelAuditConnection = Connection('ScoringModelAudit', ScoringModelAuditEntry);
export type ScoringModelAuditConnection = InstanceType<typeof ScoringModelAuditConnection>;

@ObjectType()
export class ScoringModelPreviewRow {
  @Field(() => Contact)
  contact!: Contact;

  @Field(() => ScoreBreakdown)
  active!: ScoreBreakdown;

  @Field(() => ScoreBreakdown)
  draft!: ScoreBreakdown;
}

@ObjectType()
export class ScoringModelPreview {
  @Field(() => Int, { description: 'Contacts whose tier would rise.' })
  movedUp!: number;

  @Field(() => Int, { description: 'Contacts whose tier would fall.' })
  movedDown!: number;

  @Field(() => Int)
  unchanged!: number;

  @Field(() => [ScoringModelPreviewRow])
  rows!: ScoringModelPreviewRow[];
}

@ObjectType({ description: 'A full rescore of the workspace after a publish or rollback.' })
export class ScoringBackfill {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'PENDING, RUNNING, COMPLETED or FAILED.' })
  status!: string;

  @Field()
  cause!: string;

  @Field(() => ID)
  modelVersionId!: string;

  @Field(() => Int, { description: 'Contacts plus accounts to rescore.' })
  total!: number;

  @Field(() => Int)
  done!: number;

  @Field(() => Int)
  failed!: number;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;
}

@ObjectType({ description: 'An account scored under one version, storing nothing.' })
export class AccountScoreBreakdown {
  @Field(() => Float) fit!: number;
  @Field(() => Float) rollup!: number;
  @Field(() => Float) committee!: number;
  @Field(() => Float) intent!: number;
  @Field(() => Float) engagement!: number;
  @Field(() => Float, {
    description:
      'fit + engagement; under an account model 100 × its probability of converting (a hybrid: the mix).',
  })
  total!: number;
  @Field() tier!: string;
  @Field() quadrant!: string;
  @Field() action!: string;
  @Field(() => [ScoreReason], { description: 'Sorted by impact; they add up to the total.' })
  reasons!: ScoreReason[];
}

@ObjectType()
export class AccountScoringPreviewRow {
  @Field(() => Account) account!: Account;
  @Field(() => AccountScoreBreakdown) active!: AccountScoreBreakdown;
  @Field(() => AccountScoreBreakdown) draft!: AccountScoreBreakdown;
}

@ObjectType()
export class AccountScoringPreview {
  @Field(() => Int, { description: 'Accounts whose tier would rise.' }) movedUp!: number;
  @Field(() => Int, { description: 'Accounts whose tier would fall.' }) movedDown!: number;
  @Field(() => Int) unchanged!: number;
  @Field(() => [AccountScoringPreviewRow]) rows!: AccountScoringPreviewRow[];
}
