/**
 * A rules model suggested from recorded outcomes: every rule keeps its meaning (field, activity,
 * decay, maxCount) and gets the points the outcomes support, and strong signals the model lacks
 * become new rules. It stays an ordinary, editable rules model.
 *
 * How: a "probe" copy of the model gives every rule 1 point and no caps, so each rule's reason
 * is its activation (1 for a matched attribute, the decayed count for an activity rule, −1 for
 * a matched negative rule). A logistic regression of the outcomes on those activations gives
 * each rule its log-odds per unit, and points are log-odds × 20/ln 2: 20 points double the odds
 * of converting, the scorecard convention ("points to double the odds").
 */
import type { AccountFacts, ActivityFacts, ContactFacts } from './facts';
import { fieldReader } from './fields';
import type {
  ActivityType,
  AttributeRule,
  EngagementRule,
  FeatureSetV2,
  NegativeRule,
  ScoringModelDefinition,
} from './model-definition';
import { categoryValue, propertyCategory } from './predictive-features';
import { scoreLead } from './score-lead';
import { ENGAGEMENT_CAP_RULE_ID, FIT_CAP_RULE_ID } from './validate-model';

/** 20 points double the odds. */
export const POINTS_PER_LOG_ODDS = 20 / Math.LN2;
/** New rules suggested at most. */
export const MAX_NEW_RULES = 10;
/** A level must be this much more (or less) likely to convert to become a rule: |log OR|. */
const MIN_LOG_ODDS_RATIO = 0.4;
const NO_CAP = 1_000_000;

/** A rule the model lacks, and why it is suggested. */
export interface RuleCandidate {
  section: 'fit' | 'engagement';
  rule: AttributeRule | EngagementRule;
  /** One sentence with the figures. */
  why: string;
}

/** A contact as the suggestion sees it, with whether it converted. */
export interface LabelledSample {
  contact: ContactFacts;
  account: AccountFacts | null;
  activities: readonly ActivityFacts[];
  converted: boolean;
}

/** The model with every rule (and each candidate) at 1 point and nothing capped. */
export function probeModel(
  model: ScoringModelDefinition,
  candidates: readonly RuleCandidate[],
): ScoringModelDefinition {
  const one = <T extends { points: number }>(rule: T): T => ({ ...rule, points: 1 });
  return {
    ...model,
    fit: {
      max: NO_CAP,
      rules: [
        ...model.fit.rules.map(one),
        ...candidates.filter((c) => c.section === 'fit').map((c) => one(c.rule as AttributeRule)),
      ],
    },
    engagement: {
      ...model.engagement,
      max: NO_CAP,
      rules: [
        ...model.engagement.rules.map((r) => ({ ...one(r), overridesToTopTier: false })),
        ...candidates
          .filter((c) => c.section === 'engagement')
          .map((c) => one(c.rule as EngagementRule)),
      ],
    },
    negative: { rules: model.negative.rules.map((r) => one(r) as NegativeRule) },
    predictive: undefined,
  };
}

/** Every rule id of the probe, in a stable order. */
export function probeRuleIds(probe: ScoringModelDefinition): string[] {
  return [
    ...probe.fit.rules.map((r) => r.id),
    ...probe.engagement.rules.map((r) => r.id),
    ...probe.negative.rules.map((r) => r.id),
  ];
}

/** Each rule's activation for one contact as of `now`, in the order of `ids`. */
export function ruleActivations(
  probe: ScoringModelDefinition,
  ids: readonly string[],
  contact: ContactFacts,
  account: AccountFacts | null,
  activities: readonly ActivityFacts[],
  now: Date,
): number[] {
  const score = scoreLead(probe, contact, account, activities, now);
  const byId = new Map<string, number>();
  for (const r of score.reasons) {
    if (r.ruleId !== FIT_CAP_RULE_ID && r.ruleId !== ENGAGEMENT_CAP_RULE_ID) {
      byId.set(r.ruleId, r.points);
    }
  }
  return ids.map((id) => byId.get(id) ?? 0);
}

function logOddsRatio(yes: number, n: number, totalYes: number, total: number): number {
  // Half a count added everywhere, so an empty cell does not give an infinite ratio.
  const a = yes + 0.5;
  const b = n - yes + 0.5;
  const c = totalYes - yes + 0.5;
  const d = total - n - (totalYes - yes) + 0.5;
  return Math.log((a * d) / (b * c));
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'value'
  );
}

/**
 * Strong signals the model has no rule for: levels of the workspace's categorical fields and
 * attributes, activity types no rule counts, and categories of activity properties, each
 * converting at a rate far from the rest (|log odds ratio| ≥ 0.4, on enough contacts). The
 * strongest `MAX_NEW_RULES` by |log OR|·√n.
 */
export function candidateRules(
  samples: readonly LabelledSample[],
  model: ScoringModelDefinition,
  features: FeatureSetV2,
): RuleCandidate[] {
  const total = samples.length;
  const totalYes = samples.filter((s) => s.converted).length;
  const needed = Math.max(30, Math.ceil(0.02 * total));
  const found: (RuleCandidate & { strength: number })[] = [];
  const consider = (
    n: number,
    yes: number,
    make: (rate: string) => Omit<RuleCandidate, 'why'> & { what: string },
  ) => {
    if (n < needed || total - n < needed) return;
    const lor = logOddsRatio(yes, n, totalYes, total);
    if (Math.abs(lor) < MIN_LOG_ODDS_RATIO) return;
    const rest = (totalYes - yes) / (total - n);
    const made = make(`${((100 * yes) / n).toFixed(1)}%`);
    found.push({
      section: made.section,
      rule: made.rule,
      why: `${made.what}: ${((100 * yes) / n).toFixed(1)}% of ${n} converted, against ${(100 * rest).toFixed(1)}% of the rest`,
      strength: Math.abs(lor) * Math.sqrt(n),
    });
  };
  const covered = new Set(model.fit.rules.map((r) => r.field));
  for (const field of features.fields) {
    if ((field.type !== 'category' && field.type !== 'boolean') || covered.has(field.path))
      continue;
    const read = fieldReader(field.path)!;
    const stats = new Map<string, { n: number; yes: number }>();
    for (const s of samples) {
      const level = categoryValue(read(s.contact, s.account));
      if (level === null) continue;
      const st = stats.get(level) ?? { n: 0, yes: 0 };
      st.n++;
      if (s.converted) st.yes++;
      stats.set(level, st);
    }
    for (const [level, st] of stats) {
      consider(st.n, st.yes, () => ({
        section: 'fit',
        what: `${field.path} = ${level}`,
        rule: {
          id: `suggested.${slug(field.path)}.${slug(level)}`,
          label: `${field.path.replace(/^(contact|account)\.attributes\./, '')}: ${level}`,
          field: field.path,
          op: 'EQ',
          value: level,
          points: 0,
        },
      }));
    }
  }
  const counted = new Set(
    [...model.engagement.rules, ...model.negative.rules.filter((r) => r.kind === 'ACTIVITY')].map(
      (r) => (r as EngagementRule).activityType,
    ),
  );
  for (const type of features.activities.types) {
    if (type === 'ANY' || counted.has(type)) continue;
    const yes = samples.filter(
      (s) => s.converted && s.activities.some((a) => a.type === type),
    ).length;
    const n = samples.filter((s) => s.activities.some((a) => a.type === type)).length;
    consider(n, yes, () => ({
      section: 'engagement',
      what: `any ${type}`,
      rule: {
        id: `suggested.${slug(type)}`,
        label: `Did ${type.toLowerCase().replace(/_/g, ' ')}`,
        activityType: type as ActivityType,
        where: [],
        points: 0,
        maxCount: 5,
        overridesToTopTier: false,
        overrideDays: null,
      },
    }));
  }
  for (const property of features.properties) {
    for (const value of property.values) {
      const byType = new Map<ActivityType, number>();
      let n = 0;
      let yes = 0;
      for (const s of samples) {
        let has = false;
        for (const a of s.activities) {
          if (
            propertyCategory(a.properties, property.property, property.urlPath === true) !== value
          )
            continue;
          has = true;
          byType.set(a.type, (byType.get(a.type) ?? 0) + 1);
        }
        if (has) {
          n++;
          if (s.converted) yes++;
        }
      }
      const type = [...byType].sort((x, y) => y[1] - x[1])[0]?.[0];
      if (!type) continue;
      consider(n, yes, () => ({
        section: 'engagement',
        what: `${property.property} = ${value}`,
        rule: {
          id: `suggested.${slug(property.property)}.${slug(value)}`,
          label: `${type.toLowerCase().replace(/_/g, ' ')} with ${property.property} ${value}`,
          activityType: type,
          where: [{ property: property.property, op: property.urlPath ? 'CONTAINS' : 'EQ', value }],
          points: 0,
          maxCount: 5,
          overridesToTopTier: false,
          overrideDays: null,
        },
      }));
    }
  }
  const ids = new Set<string>();
  return found
    .sort((a, b) => b.strength - a.strength)
    .filter((c) => (ids.has(c.rule.id) ? false : (ids.add(c.rule.id), true)))
    .slice(0, MAX_NEW_RULES)
    .map(({ strength: _strength, ...c }) => c);
}

/** A rule's points from its log-odds per unit of activation, to a tenth of a point. */
export function pointsOf(logOdds: number): number {
  return Math.round(logOdds * POINTS_PER_LOG_ODDS * 10) / 10;
}

/**
 * The suggested definition: every rule with the points its weight gives (negative rules, which
 * subtract, at least 0), the candidates added, fit and engagement caps raised so that no learned
 * points are clipped. Tiers and everything else are the caller's.
 */
export function suggestedDefinition(
  model: ScoringModelDefinition,
  candidates: readonly RuleCandidate[],
  weights: ReadonlyMap<string, number>,
): ScoringModelDefinition {
  const points = (id: string) => pointsOf(weights.get(id) ?? 0);
  const fitRules: AttributeRule[] = [
    ...model.fit.rules,
    ...candidates.filter((c) => c.section === 'fit').map((c) => c.rule as AttributeRule),
  ].map((r) => ({ ...r, points: points(r.id) }));
  const engagementRules: EngagementRule[] = [
    ...model.engagement.rules,
    ...candidates.filter((c) => c.section === 'engagement').map((c) => c.rule as EngagementRule),
  ].map((r) => ({ ...r, points: points(r.id) }));
  // A negative rule's activation is −1 per match: its weight is minus the points it subtracts.
  const negativeRules = model.negative.rules.map((r) => ({
    ...r,
    points: Math.max(0, -points(r.id)),
  })) as NegativeRule[];
  const positive = (list: readonly { points: number; maxCount?: number | null }[]) =>
    list.reduce((s, r) => s + Math.max(0, r.points) * (r.maxCount ?? 1), 0);
  const { predictive: _predictive, ...rules } = model;
  return {
    ...rules,
    fit: { max: Math.max(model.fit.max, Math.ceil(positive(fitRules))), rules: fitRules },
    engagement: {
      ...model.engagement,
      max: Math.max(model.engagement.max, Math.ceil(positive(engagementRules))),
      rules: engagementRules,
    },
    negative: { rules: negativeRules },
  };
}
