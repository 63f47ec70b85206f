/**
 * A model definition prepared for fast scoring: validated once, conditions compiled once (regular
 * expressions, lower-cased lists), half-lives resolved, bands sorted. Cached per definition object,
 * so a definition must not be mutated after it has been scored (published versions are immutable;
 * `validateModelDefinition` returns a fresh copy).
 */
import { compileCondition, type ValuePredicate } from './conditions';
import { DAY_MS } from './decay';
import type { AccountFacts, ContactFacts } from './facts';
import { fieldReader, ownProperty } from './fields';
import { pointsToUnits } from './fixed-point';
import type {
  AccountModelSection,
  ActivityType,
  AttributeRule,
  EngagementRule,
  GradeBand,
  PropertyCondition,
  ScoringModelDefinition,
  TierBand,
} from './model-definition';
import { validateModelDefinition, type ModelValidationIssue } from './validate-model';

export class InvalidScoringModelError extends Error {
  constructor(readonly issues: readonly ModelValidationIssue[]) {
    super(
      `invalid scoring model: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
    );
    this.name = 'InvalidScoringModelError';
  }
}

export interface CompiledAttributeRule {
  readonly id: string;
  readonly label: string;
  readonly matches: (contact: ContactFacts, account: AccountFacts | null) => boolean;
  readonly units: number;
}

export interface CompiledActivityRule {
  readonly id: string;
  readonly label: string;
  readonly activityType: ActivityType;
  readonly where: (properties: Record<string, unknown> | null | undefined) => boolean;
  readonly points: number;
  /** Units per activity when there is no decay. */
  readonly units: number;
  readonly halfLifeDays: number | null;
  readonly maxCount: number;
  /** The maximum age, in ms, of an activity that forces the top tier; null: no override. */
  readonly overrideMaxAgeMs: number | null;
}

export interface CompiledInactivityRule {
  readonly id: string;
  readonly label: string;
  readonly inactiveMs: number;
  readonly units: number;
}

export interface CompiledRecencyBand {
  readonly withinDays: number;
  readonly units: number;
}

export interface CompiledAccountSection {
  readonly fitRules: readonly CompiledAttributeRule[];
  /** `factor^i` for each of the top N ranks. */
  readonly rollupWeights: readonly number[];
  readonly committee: {
    readonly engagementThreshold: number;
    readonly windowMs: number;
    readonly engagedContactUnits: number;
    readonly engagedContactsCap: number;
    readonly coveragePoints: number;
    readonly decisionMakerUnits: number;
    readonly surgeUnits: number;
    readonly surgeRatio: number;
    readonly surgeMinActivities: number;
    /** Smallest `withinDays` first. */
    readonly recency: readonly CompiledRecencyBand[];
  };
  readonly intentRules: readonly CompiledActivityRule[];
  readonly intentTypes: ReadonlySet<ActivityType>;
  readonly intentLookbackMs: number | null;
  readonly tiersDescending: readonly TierBand[];
}

export interface CompiledModel {
  readonly definition: ScoringModelDefinition;
  readonly fitRules: readonly CompiledAttributeRule[];
  readonly engagementRules: readonly CompiledActivityRule[];
  readonly negativeAttributeRules: readonly CompiledAttributeRule[];
  readonly negativeActivityRules: readonly CompiledActivityRule[];
  readonly inactivityRules: readonly CompiledInactivityRule[];
  /** Activity types some activity rule looks at. */
  readonly activityTypes: ReadonlySet<ActivityType>;
  readonly lookbackMs: number | null;
  readonly tiersDescending: readonly TierBand[];
  readonly gradesDescending: readonly GradeBand[];
  readonly account: CompiledAccountSection;
}

const cache = new WeakMap<ScoringModelDefinition, CompiledModel>();

/** Compiles (and caches) a model; throws InvalidScoringModelError if it does not validate. */
export function compileModel(model: ScoringModelDefinition): CompiledModel {
  let compiled = cache.get(model);
  if (!compiled) {
    compiled = compileValidated(model);
    cache.set(model, compiled);
  }
  return compiled;
}

function compileValidated(model: ScoringModelDefinition): CompiledModel {
  const validation = validateModelDefinition(model);
  if (!validation.ok) throw new InvalidScoringModelError(validation.issues);
  const definition = validation.model;
  const { engagement, negative } = definition;

  const engagementRules = engagement.rules.map((rule) =>
    compileActivityRule(
      rule,
      rule.halfLifeDays === undefined ? engagement.halfLifeDays : rule.halfLifeDays,
    ),
  );
  const negativeActivityRules: CompiledActivityRule[] = [];
  const negativeAttributeRules: CompiledAttributeRule[] = [];
  const inactivityRules: CompiledInactivityRule[] = [];
  for (const rule of negative.rules) {
    switch (rule.kind) {
      case 'ATTRIBUTE':
        negativeAttributeRules.push(compileAttributeRule(rule));
        break;
      case 'ACTIVITY':
        // Negative activities (an unsubscribe) do not fade unless the rule itself says so.
        negativeActivityRules.push(compileActivityRule(rule, rule.halfLifeDays ?? null));
        break;
      case 'INACTIVITY':
        inactivityRules.push({
          id: rule.id,
          label: rule.label,
          inactiveMs: rule.inactiveDays * DAY_MS,
          units: pointsToUnits(rule.points),
        });
        break;
    }
  }

  return {
    definition,
    fitRules: definition.fit.rules.map(compileAttributeRule),
    engagementRules,
    negativeAttributeRules,
    negativeActivityRules,
    inactivityRules,
    activityTypes: new Set(
      [...engagementRules, ...negativeActivityRules].map((rule) => rule.activityType),
    ),
    lookbackMs: engagement.lookbackDays === null ? null : engagement.lookbackDays * DAY_MS,
    tiersDescending: definition.tiers,
    gradesDescending: definition.grades,
    account: compileAccountSection(definition.account),
  };
}

function compileAccountSection(section: AccountModelSection): CompiledAccountSection {
  const { rollup, committee, intent } = section;
  const rollupWeights: number[] = [];
  for (let i = 0, weight = 1; i < rollup.topN; i++, weight *= rollup.factor) {
    rollupWeights.push(weight);
  }
  const intentRules = intent.rules.map((rule) =>
    compileActivityRule(
      { ...rule, overridesToTopTier: false },
      rule.halfLifeDays === undefined ? intent.halfLifeDays : rule.halfLifeDays,
    ),
  );
  return {
    fitRules: section.fit.rules.map(compileAttributeRule),
    rollupWeights,
    committee: {
      engagementThreshold: committee.engagementThreshold,
      windowMs: committee.windowDays * DAY_MS,
      engagedContactUnits: pointsToUnits(committee.engagedContactPoints),
      engagedContactsCap: committee.engagedContactsCap,
      coveragePoints: committee.coveragePoints,
      decisionMakerUnits: pointsToUnits(committee.decisionMakerPoints),
      surgeUnits: pointsToUnits(committee.surgePoints),
      surgeRatio: committee.surgeRatio,
      surgeMinActivities: committee.surgeMinActivities,
      recency: committee.recency.map((band) => ({
        withinDays: band.withinDays,
        units: pointsToUnits(band.points),
      })),
    },
    intentRules,
    intentTypes: new Set(intentRules.map((rule) => rule.activityType)),
    intentLookbackMs: intent.lookbackDays === null ? null : intent.lookbackDays * DAY_MS,
    tiersDescending: section.tiers,
  };
}

function compileAttributeRule(rule: AttributeRule): CompiledAttributeRule {
  // Validation guarantees the field is known.
  const read = fieldReader(rule.field)!;
  const test = compileCondition(rule.op, rule.value);
  return {
    id: rule.id,
    label: rule.label,
    matches: (contact, account) => test(read(contact, account)),
    units: pointsToUnits(rule.points),
  };
}

function compileActivityRule(
  rule: EngagementRule,
  halfLifeDays: number | null,
): CompiledActivityRule {
  let overrideMaxAgeMs: number | null = null;
  if (rule.overridesToTopTier) {
    // Without overrideDays, any counted activity (already within the lookback) overrides.
    overrideMaxAgeMs = rule.overrideDays == null ? Infinity : rule.overrideDays * DAY_MS;
  }
  return {
    id: rule.id,
    label: rule.label,
    activityType: rule.activityType,
    where: compileWhere(rule.where ?? []),
    points: rule.points,
    units: pointsToUnits(rule.points),
    halfLifeDays,
    maxCount: rule.maxCount ?? Infinity,
    overrideMaxAgeMs,
  };
}

function compileWhere(conditions: readonly PropertyCondition[]): CompiledActivityRule['where'] {
  const tests: Array<{ property: string; test: ValuePredicate }> = conditions.map((c) => ({
    property: c.property,
    test: compileCondition(c.op, c.value),
  }));
  if (tests.length === 0) return () => true;
  return (properties) => {
    for (const { property, test } of tests) {
      if (!test(ownProperty(properties, property))) return false;
    }
    return true;
  };
}
