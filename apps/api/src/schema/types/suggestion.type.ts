import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ScoringModelVersion } from './scoring-model.type';
import { ModelValidationReport } from './validation.type';

@InputType()
export class SuggestScoringModelInput {
  @Field({ description: 'Start of the first observation window.' })
  from!: Date;

  @Field({ description: 'Windows start at from, from + horizon, … while before `to`.' })
  to!: Date;

  @Field(() => Int, { defaultValue: 90, description: 'Conversion within this many days.' })
  horizonDays!: number;

  @Field(() => ID, {
    nullable: true,
    description: 'The rules version to re-weight (default: the active one).',
  })
  basedOn?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@ObjectType({ description: 'What the suggestion did to one rule.' })
export class SuggestedRuleChange {
  @Field() ruleId!: string;
  @Field() label!: string;
  @Field({ description: 'fit, engagement or negative.' }) section!: string;
  @Field(() => Float, { nullable: true, description: 'Null for a rule the suggestion added.' })
  before!: number | null;
  @Field(() => Float) after!: number;
  @Field(() => String, {
    nullable: true,
    description: 'Why a new rule was added, with its figures.',
  })
  why!: string | null;
}

@ObjectType({
  description:
    'A rules model suggested from recorded outcomes: an ordinary draft, validated next to the version it re-weights.',
})
export class ScoringModelSuggestion {
  @Field(() => ScoringModelVersion) draft!: ScoringModelVersion;
  @Field(() => ModelValidationReport) validation!: ModelValidationReport;
  @Field(() => ModelValidationReport, { description: 'The version it is based on.' })
  activeValidation!: ModelValidationReport;
  @Field(() => Float, { nullable: true, description: 'draft − based-on AUC.' })
  aucDifference!: number | null;
  @Field() summary!: string;
  @Field(() => [SuggestedRuleChange]) changes!: SuggestedRuleChange[];
}
