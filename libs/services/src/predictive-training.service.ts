import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Clock } from '@quorum/config';
import type { Database, ScoringModelVersionEntity, WorkspaceId } from '@quorum/persistence';
import {
  ColdStartError,
  MIN_CONVERSIONS,
  topFeatures,
  type ColumnSpec,
  type FeatureRow,
} from '@quorum/predictive';
import {
  ACTIVITY_TYPES,
  ENGAGEMENT_FEATURE_PREFIX,
  FIELDS,
  predictiveFeatureRow,
  predictiveTotal,
  scoreLead,
  type PredictiveFeatureSet,
  type PredictiveSection,
  type ScoringModelDefinition,
  type TierBand,
} from '@quorum/scoring';
import { InputError, InsufficientOutcomesError, NotFoundError } from './errors';
import { isUuid } from './field-checks';
import { trainPredictiveModelInThread } from './predictive-training-thread';
import { accountFacts, contactFacts } from './lead-scoring.service';
import type { ValidationDatasetService } from './validation-dataset.service';

/** Contact and account fields a predictive model learns from (custom attributes are not read). */
export const PREDICTIVE_FIELDS: readonly string[] = Object.freeze([
  'contact.seniority',
  'contact.department',
  'contact.country',
  'account.industry',
  'account.employeeCount',
  'account.annualRevenue',
  'account.region',
  'account.country',
]);
const NUMERIC_FIELDS = new Set(FIELDS.filter((f) => f.type === 'number').map((f) => f.field));
/** λ candidates, chosen by inner cross-validation. */
export const PREDICTIVE_LAMBDA_GRID: readonly number[] = Object.freeze([1, 10, 100]);
const DEFAULT_HALF_LIFE_DAYS = 30;
/** Share of the training observations in the top tier, and in the bottom one (3+ tiers). */
const TOP_TIER_SHARE = 0.1;
const BOTTOM_TIER_SHARE = 0.5;
const SQL_SHARE = 0.02;
/** Rows scored between two turns of the event loop. */
const YIELD_EVERY = 1_000;

export interface TrainPredictiveInput {
  from: Date;
  to: Date;
  horizonDays: number;
  /** Cross-validation folds for the stored metrics, 2–10 (default 5). */
  folds?: number | null;
  /** The rules version to build on (default: the active one). */
  basedOnId?: string | null;
  /** Set for a HYBRID version: relative weights of the rules score and the probability. */
  hybrid?: { rules: number; predictive: number } | null;
  description?: string | null;
}

export interface TrainingSet {
  rows: FeatureRow[];
  labels: number[];
  /** The rules total of each observation under the version trained on (for a hybrid). */
  rulesTotals: number[];
  observations: { contactId: string; at: Date }[];
}

/** Trains a predictive model from a workspace's outcomes into a draft model version. */
export class PredictiveTrainingService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly dataset: ValidationDatasetService,
  ) {}

  /**
   * One row per (contact, window start), features as of that start (activities before it
   * only, through the engine's own `predictiveFeatureRow`), label: converted within the horizon.
   */
  async trainingSet(
    ws: WorkspaceId,
    rules: ScoringModelDefinition,
    features: PredictiveFeatureSet,
    from: Date,
    to: Date,
    horizonDays: number,
  ): Promise<TrainingSet> {
    const set: TrainingSet = { rows: [], labels: [], rulesTotals: [], observations: [] };
    await this.dataset.observe(ws, from, to, horizonDays, (o) => {
      const contact = contactFacts(o.contact);
      const account = accountFacts(o.account);
      set.rows.push(predictiveFeatureRow(features, contact, account, o.history, o.at));
      set.labels.push(o.converted ? 1 : 0);
      set.rulesTotals.push(scoreLead(rules, contact, account, o.history, o.at).total);
      set.observations.push({ contactId: o.contact.id, at: o.at });
    });
    return set;
  }

  /**
   * Reads the outcomes in one snapshot, trains on a worker thread (the event loop keeps
   * serving other requests), then writes the draft and its audit entry in one transaction.
   * Too few outcomes are refused before any thread starts, with nothing written.
   */
  async train(
    ws: WorkspaceId,
    input: TrainPredictiveInput,
    /** The API key that asked, for the audit log; null for the server or the system. */
    actorKeyId: string | null = null,
  ): Promise<ScoringModelVersionEntity> {
    const folds = input.folds ?? 5;
    if (!Number.isInteger(folds) || folds < 2 || folds > 10) {
      throw new InputError([{ path: 'folds', message: 'must be a whole number from 2 to 10' }]);
    }
    if (input.hybrid) checkWeights(input.hybrid);
    const basedOn = await this.basedOn(ws, input.basedOnId);
    const { predictive: _previous, ...rules } =
      basedOn.definition as unknown as ScoringModelDefinition;
    const features: PredictiveFeatureSet = {
      fields: [...PREDICTIVE_FIELDS],
      activityTypes: [...ACTIVITY_TYPES],
      halfLifeDays: rules.engagement.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS,
    };
    const started = performance.now();
    const set = await this.trainingSet(
      ws,
      rules,
      features,
      input.from,
      input.to,
      input.horizonDays,
    );
    let model;
    try {
      model = await trainPredictiveModelInThread(set.rows, set.labels, {
        spec: { columns: predictiveColumnSpecs(features) },
        lambda: PREDICTIVE_LAMBDA_GRID,
        folds,
        minConversions: MIN_CONVERSIONS,
      });
    } catch (error) {
      if (error instanceof ColdStartError) {
        throw new InsufficientOutcomesError(
          `${error.message} (${set.rows.length} observations from ${input.from.toISOString()} to ${input.to.toISOString()}, horizon ${input.horizonDays} days.)`,
          error.conversions,
          error.nonConversions,
          error.required,
        );
      }
      throw error;
    }
    const section: PredictiveSection = {
      mode: input.hybrid ? 'HYBRID' : 'PREDICTIVE',
      weights: input.hybrid ? { ...input.hybrid } : null,
      rulesScaleMax: rules.fit.max + rules.engagement.max,
      features,
      model,
      training: {
        from: input.from.toISOString(),
        to: input.to.toISOString(),
        horizonDays: input.horizonDays,
        folds,
        trainedAt: this.clock.now().toISOString(),
        observations: set.rows.length,
        conversions: model.training.conversions,
        durationMs: 0,
      },
    };
    const totals: number[] = [];
    for (let i = 0; i < set.rows.length; i++) {
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
      const rules = { total: set.rulesTotals[i]!, reasons: [] };
      totals.push(predictiveTotal(section, rules, set.rows[i]!).total);
    }
    const tiers = tiersByShare(rules.tiers, totals);
    const definition: ScoringModelDefinition = {
      ...rules,
      tiers,
      lifecycle: {
        ...rules.lifecycle,
        mql: tiers[0]!.min,
        sql: Math.max(tiers[0]!.min, quantileFromTop(totals, SQL_SHARE)),
      },
      predictive: section,
    };
    section.training.durationMs = Math.round(performance.now() - started);
    const auc = model.metrics?.pooled.auc;
    return this.db.transaction(ws, async (repos) => {
      const version = await repos.models.insert(ws, {
        id: randomUUID(),
        status: 'DRAFT',
        description:
          input.description?.slice(0, 200) ??
          `${section.mode === 'HYBRID' ? 'Hybrid' : 'Predictive'} model: cross-validated AUC ${auc?.toFixed(3)} on ${set.rows.length} observations`,
        definition: definition as unknown as Record<string, unknown>,
        basedOnId: basedOn.id,
      });
      await repos.audit.record(ws, {
        action: 'MODEL_TRAINED',
        actorKeyId,
        targetType: 'SCORING_MODEL_VERSION',
        targetId: version.id,
        details: {
          version: version.version,
          basedOnId: basedOn.id,
          mode: section.mode,
          from: section.training.from,
          to: section.training.to,
          horizonDays: section.training.horizonDays,
          observations: section.training.observations,
          conversions: section.training.conversions,
          auc: auc ?? null,
          durationMs: section.training.durationMs,
        },
        at: this.clock.now(),
      });
      return version;
    });
  }

  private async basedOn(
    ws: WorkspaceId,
    id: string | null | undefined,
  ): Promise<ScoringModelVersionEntity> {
    const repos = this.db.repos;
    const version = id
      ? isUuid(id)
        ? (await repos.models.findByIds(ws, [id]))[0]
        : undefined
      : await repos.models.findActive(ws);
    if (!version) throw new NotFoundError('ScoringModelVersion', id ?? 'active', 'basedOn');
    return version;
  }
}

function checkWeights(w: { rules: number; predictive: number }): void {
  if (!(w.rules >= 0) || !(w.predictive >= 0) || !Number.isFinite(w.rules + w.predictive)) {
    throw new InputError([{ path: 'hybrid', message: 'weights must be finite numbers >= 0' }]);
  }
  if (w.rules + w.predictive <= 0) {
    throw new InputError([{ path: 'hybrid', message: 'at least one weight must be > 0' }]);
  }
}

/** Field columns: numbers in quantile bins, the rest one-hot; engagement counts binned + linear. */
export function predictiveColumnSpecs(features: PredictiveFeatureSet): ColumnSpec[] {
  return [
    ...features.fields.map((name): ColumnSpec =>
      NUMERIC_FIELDS.has(name) ? { kind: 'numeric', name, bins: 5 } : { kind: 'categorical', name },
    ),
    ...features.activityTypes.map((type): ColumnSpec => ({
      kind: 'numeric',
      name: ENGAGEMENT_FEATURE_PREFIX + type,
      bins: 4,
      standardise: true,
    })),
  ];
}

/** The score at the given share from the top of `totals` (0.1: the 90th percentile). */
function quantileFromTop(totals: readonly number[], share: number): number {
  const sorted = [...totals].sort((a, b) => b - a);
  // Rounded first: 0.1 + 0.2 of 100 rows is 30.000000000000004, which must be 30, not 31.
  const rank = Math.ceil(Math.round(share * sorted.length * 1e9) / 1e9);
  const index = Math.min(sorted.length - 1, Math.max(0, rank - 1));
  return sorted[index] ?? 0;
}

/**
 * The rules version's tier names with minimums on the new 0–100 scale: the top tier holds the
 * top 10% of the training observations. With three or more tiers the bottom tier holds the
 * lower half and the tiers between share the other 40% equally; with two tiers the bottom one
 * holds the other 90%. Minimums are strictly decreasing, the bottom one 0.
 */
export function tiersByShare(
  rulesTiers: readonly TierBand[],
  totals: readonly number[],
): TierBand[] {
  const names = [...rulesTiers].sort((a, b) => b.min - a.min).map((t) => t.name);
  const k = names.length;
  if (k === 1) return [{ name: names[0]!, min: 0 }];
  // Share of the observations at or above each tier's minimum, top tier first.
  const cumulative: number[] = [TOP_TIER_SHARE];
  const middle = k - 2;
  const middleShare = (1 - TOP_TIER_SHARE - BOTTOM_TIER_SHARE) / Math.max(middle, 1);
  for (let i = 1; i <= middle; i++) cumulative.push(TOP_TIER_SHARE + i * middleShare);
  const mins = cumulative.map((share) => Math.floor(quantileFromTop(totals, share) * 100) / 100);
  mins.push(0);
  for (let i = k - 2; i >= 0; i--)
    mins[i] = Math.max(mins[i]!, Math.round((mins[i + 1]! + 0.01) * 100) / 100);
  return names.map((name, i) => ({ name, min: mins[i]! }));
}

/** The `n` features of a stored model with the largest |weight| (log-odds per unit). */
export function strongestFeatures(
  section: PredictiveSection,
  n = 15,
): { feature: string; weight: number }[] {
  return topFeatures(section.model, n).map((f) => ({ feature: f.feature, weight: f.weight }));
}
