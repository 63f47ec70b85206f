import { createHash, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Clock } from '@quorum/config';
import type { Database, ScoringModelVersionEntity, WorkspaceId } from '@quorum/persistence';
import {
  ColdStartError,
  crossFittedProbabilities,
  metricsOf,
  MIN_CONVERSIONS,
  type FeatureRow,
  type Metrics,
  type ModelKind,
  type SelectedModel,
} from '@quorum/predictive';
import {
  discoverFeatures,
  extractFeatures,
  featureColumns,
  predictedTotal,
  scoreLead,
  type AccountFacts,
  type ActivityFacts,
  type ContactFacts,
  type FeatureSelection,
  type FeatureSetV2,
  type PredictiveSection,
  type SkippedFeature,
  type ScoringModelDefinition,
  type TierBand,
} from '@quorum/scoring';
import { InputError, InsufficientOutcomesError, NotFoundError } from './errors';
import { isUuid } from './field-checks';
import { accountTrainingSet } from './account-training-set';
import { selectModelInThread } from './predictive-training-thread';
import { accountFacts, contactFacts } from './lead-scoring.service';
import type { ValidationDatasetService } from './validation-dataset.service';

/** Which model kinds to train: both (the better by cross-validation is kept) or one. */
export type ModelKindChoice = 'AUTO' | 'LOGISTIC_REGRESSION' | 'GRADIENT_BOOSTED_TREES';

const KINDS: Readonly<Record<ModelKindChoice, readonly ModelKind[]>> = {
  AUTO: ['logistic-regression', 'gradient-boosted-trees'],
  LOGISTIC_REGRESSION: ['logistic-regression'],
  GRADIENT_BOOSTED_TREES: ['gradient-boosted-trees'],
};

/** Share of the training observations in the top tier, and in the bottom one (3+ tiers). */
const TOP_TIER_SHARE = 0.1;
const BOTTOM_TIER_SHARE = 0.5;
const SQL_SHARE = 0.02;
/** Rows handled between two turns of the event loop. */
const YIELD_EVERY = 1_000;
/** Folds, CV seed: fixed, so identical data gives identical models and metrics. */
const SEED = 42;
const MAX_PATTERNS = 100;
const MAX_PATTERN_LENGTH = 200;
/** Skipped candidates kept with the version (the rest are counted). */
const MAX_SKIPPED_STORED = 200;

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
  /** Default AUTO: both kinds, the better kept. */
  kind?: ModelKindChoice | null;
  /** Feature paths to keep or leave out (`contact.attributes.*`, `activity.PAGE_VIEW`). */
  features?: FeatureSelection | null;
  /** CONTACT (default): a lead model; ACCOUNT: an account model, from account outcomes. */
  entity?: 'CONTACT' | 'ACCOUNT' | null;
}

/** One (contact, window start) observation, as training reads it. */
export interface TrainingObservation {
  contact: ContactFacts;
  account: AccountFacts | null;
  history: ActivityFacts[];
  at: Date;
  converted: boolean;
  /** The rules total under the version trained on (for a hybrid). */
  rulesTotal: number;
}

/** Trains a predictive model from a workspace's outcomes into a draft model version. */
export class PredictiveTrainingService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly dataset: ValidationDatasetService,
  ) {}

  /**
   * Every (contact, window start) observation with the contact's history before that moment
   * (features are built from it by the engine's own `extractFeatures`, as scoring does).
   */
  async observations(
    ws: WorkspaceId,
    rules: ScoringModelDefinition,
    from: Date,
    to: Date,
    horizonDays: number,
  ): Promise<TrainingObservation[]> {
    const out: TrainingObservation[] = [];
    await this.dataset.observe(ws, from, to, horizonDays, (o) => {
      const contact = contactFacts(o.contact);
      const account = accountFacts(o.account);
      out.push({
        contact,
        account,
        history: o.history,
        at: o.at,
        converted: o.converted,
        rulesTotal: scoreLead(rules, contact, account, o.history, o.at).total,
      });
    });
    return out;
  }

  /**
   * Reads the outcomes in one snapshot, chooses features from everything the workspace has,
   * trains and cross-validates every candidate kind on a worker thread (the event loop keeps
   * serving other requests), then writes the draft and its audit entry in one transaction.
   * Too few outcomes are refused before any thread starts, with nothing written.
   */
  async train(
    ws: WorkspaceId,
    input: TrainPredictiveInput,
    /** The API key that asked, for the audit log; null for the server or the system. */
    actorKeyId: string | null = null,
  ): Promise<ScoringModelVersionEntity> {
    const folds = checkInput(input);
    const basedOn = await this.basedOn(ws, input.basedOnId);
    if (input.entity === 'ACCOUNT')
      return this.trainAccounts(ws, input, folds, basedOn, actorKeyId);
    const { predictive: _previous, ...rules } =
      basedOn.definition as unknown as ScoringModelDefinition;
    const started = performance.now();
    const observed = await this.observations(ws, rules, input.from, input.to, input.horizonDays);
    const discovery = discoverFeatures(
      observed.map((o) => ({ contact: o.contact, account: o.account, activities: o.history })),
      input.features ?? {},
    );
    const columns = featureColumns(discovery.set);
    if (columns.length === 0) {
      throw new InputError([
        { path: 'features', message: 'no field, attribute or activity is left to learn from' },
      ]);
    }
    const rows: FeatureRow[] = [];
    for (const o of observed) {
      if (rows.length % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
      rows.push(extractFeatures(discovery.set, o.contact, o.account, o.history, o.at));
    }
    const labels = observed.map((o) => (o.converted ? 1 : 0));
    const selected = await this.select(rows, labels, {
      input,
      folds,
      columns,
      keys: observed.map((x) => x.contact.email),
      times: observed.map((x) => x.at.getTime()),
    });
    const section = this.section(input, folds, discovery.set, selected, rows.length, {
      rulesScaleMax: rules.fit.max + rules.engagement.max,
      skipped: discovery.skipped,
      ws,
    });
    const totals: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
      totals.push(predictedTotal(section, observed[i]!.rulesTotal, rows[i]!));
    }
    if (section.mode === 'HYBRID') {
      section.evaluation!.shownScore = hybridMetrics(
        section,
        observed.map((o) => o.rulesTotal),
        selected,
        labels,
      );
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
    return this.save(ws, basedOn, definition, section, input.description, actorKeyId, 'CONTACT');
  }

  /**
   * An account model: observations of accounts, features from their fields and their contacts'
   * activity and roles, labels from outcomes recorded for the account. Stored as
   * `account.predictive`; the lead part of the version is kept as it was.
   */
  private async trainAccounts(
    ws: WorkspaceId,
    input: TrainPredictiveInput,
    folds: number,
    basedOn: ScoringModelVersionEntity,
    actorKeyId: string | null,
  ): Promise<ScoringModelVersionEntity> {
    const started = performance.now();
    const base = basedOn.definition as unknown as ScoringModelDefinition;
    const rules: ScoringModelDefinition = {
      ...base,
      predictive: undefined,
      account: { ...base.account, predictive: undefined },
    };
    const data = await accountTrainingSet(
      this.db,
      ws,
      rules,
      input,
      input.features ?? {},
      Boolean(input.hybrid),
    );
    const columns = featureColumns(data.set);
    const selected = await this.select(data.rows, data.labels, {
      input,
      folds,
      columns,
      keys: data.keys,
      times: data.times,
    });
    const { fit, rollup, committee, intent } = base.account;
    const section = this.section(input, folds, data.set, selected, data.rows.length, {
      rulesScaleMax: fit.max + rollup.max + committee.max + intent.max,
      skipped: data.skipped,
      ws,
    });
    const totals = data.rows.map((row, i) => predictedTotal(section, data.rulesTotals[i]!, row));
    if (section.mode === 'HYBRID') {
      section.evaluation!.shownScore = hybridMetrics(
        section,
        data.rulesTotals,
        selected,
        data.labels,
      );
    }
    const definition: ScoringModelDefinition = {
      ...base,
      account: {
        ...base.account,
        tiers: tiersByShare(base.account.tiers, totals),
        predictive: section,
      },
    };
    section.training.durationMs = Math.round(performance.now() - started);
    return this.save(ws, basedOn, definition, section, input.description, actorKeyId, 'ACCOUNT');
  }

  private section(
    input: TrainPredictiveInput,
    folds: number,
    features: FeatureSetV2,
    selected: SelectedModel,
    observations: number,
    o: { rulesScaleMax: number; skipped: SkippedFeature[]; ws: WorkspaceId },
  ): PredictiveSection {
    return {
      mode: input.hybrid ? 'HYBRID' : 'PREDICTIVE',
      weights: input.hybrid ? { ...input.hybrid } : null,
      rulesScaleMax: o.rulesScaleMax,
      features,
      model: selected.model,
      training: {
        from: input.from.toISOString(),
        to: input.to.toISOString(),
        horizonDays: input.horizonDays,
        folds,
        trainedAt: this.clock.now().toISOString(),
        observations,
        conversions: selected.model.training.conversions,
        durationMs: 0,
        workspaceHash: workspaceHash(o.ws),
      },
      evaluation: selected.evaluation,
      discovery: {
        skipped: o.skipped.slice(0, MAX_SKIPPED_STORED),
        skippedCount: o.skipped.length,
      },
    };
  }

  private async select(
    rows: FeatureRow[],
    labels: number[],
    o: {
      input: TrainPredictiveInput;
      folds: number;
      columns: ReturnType<typeof featureColumns>;
      keys: string[];
      times: number[];
    },
  ): Promise<SelectedModel> {
    try {
      return await selectModelInThread(rows, labels, {
        columns: o.columns,
        kinds: KINDS[o.input.kind ?? 'AUTO'],
        folds: o.folds,
        keys: o.keys,
        times: o.times,
        seed: SEED,
        minConversions: MIN_CONVERSIONS,
      });
    } catch (error) {
      if (error instanceof ColdStartError) {
        const { input } = o;
        throw new InsufficientOutcomesError(
          `${error.message} (${rows.length} observations from ${input.from.toISOString()} to ${input.to.toISOString()}, horizon ${input.horizonDays} days.)`,
          error.conversions,
          error.nonConversions,
          error.required,
        );
      }
      throw error;
    }
  }

  private save(
    ws: WorkspaceId,
    basedOn: ScoringModelVersionEntity,
    definition: ScoringModelDefinition,
    section: PredictiveSection,
    description: string | null | undefined,
    actorKeyId: string | null,
    entity: 'CONTACT' | 'ACCOUNT',
  ): Promise<ScoringModelVersionEntity> {
    const evaluation = section.evaluation!;
    const chosen = evaluation.candidates.find((c) => c.kind === evaluation.chosen)!;
    const auc = (evaluation.shownScore ?? chosen.pooled).auc;
    const kindName =
      section.model.kind === 'gradient-boosted-trees'
        ? 'gradient-boosted trees'
        : 'logistic regression';
    return this.db.transaction(ws, async (repos) => {
      const version = await repos.models.insert(ws, {
        id: randomUUID(),
        status: 'DRAFT',
        description:
          description?.slice(0, 200) ??
          `${section.mode === 'HYBRID' ? 'Hybrid' : 'Predictive'} ${entity === 'ACCOUNT' ? 'account' : 'lead'} model (${kindName}): cross-validated AUC ${auc.toFixed(3)} on ${section.training.observations} observations`,
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
          entity,
          kind: section.model.kind,
          from: section.training.from,
          to: section.training.to,
          horizonDays: section.training.horizonDays,
          observations: section.training.observations,
          conversions: section.training.conversions,
          auc: Number.isFinite(auc) ? auc : null,
          outOfTimeAuc: evaluation.outOfTime.metrics?.auc ?? null,
          columns: featureColumns(section.features).length,
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

/** Whether a validation runs in the workspace a version was trained in, without naming it. */
export function workspaceHash(ws: WorkspaceId): string {
  return createHash('sha256').update(`quorum-training:${ws}`).digest('hex').slice(0, 16);
}

/** The folds, after checking every argument (nothing is read before the input is valid). */
function checkInput(input: TrainPredictiveInput): number {
  const folds = input.folds ?? 5;
  if (!Number.isInteger(folds) || folds < 2 || folds > 10) {
    throw new InputError([{ path: 'folds', message: 'must be a whole number from 2 to 10' }]);
  }
  if (input.hybrid) checkWeights(input.hybrid);
  if (input.kind && !(input.kind in KINDS)) {
    throw new InputError([
      { path: 'kind', message: `must be one of ${Object.keys(KINDS).join(', ')}` },
    ]);
  }
  for (const key of ['include', 'exclude'] as const) {
    const patterns = input.features?.[key] ?? [];
    if (patterns.length > MAX_PATTERNS) {
      throw new InputError([
        { path: `features.${key}`, message: `at most ${MAX_PATTERNS} patterns` },
      ]);
    }
    patterns.forEach((p, i) => {
      if (typeof p !== 'string' || p.trim() === '' || p.length > MAX_PATTERN_LENGTH) {
        throw new InputError([
          {
            path: `features.${key}[${i}]`,
            message: `must be a feature path pattern of 1 to ${MAX_PATTERN_LENGTH} characters`,
          },
        ]);
      }
    });
  }
  return folds;
}

function checkWeights(w: { rules: number; predictive: number }): void {
  if (!(w.rules >= 0) || !(w.predictive >= 0) || !Number.isFinite(w.rules + w.predictive)) {
    throw new InputError([{ path: 'hybrid', message: 'weights must be finite numbers >= 0' }]);
  }
  if (w.rules + w.predictive <= 0) {
    throw new InputError([{ path: 'hybrid', message: 'at least one weight must be > 0' }]);
  }
}

/**
 * A hybrid's own cross-validated metrics: its score mixed from each observation's rules total
 * and the out-of-fold probability (so the model part never saw the row), ranked for AUC and
 * lift, and mapped to a probability out of fold for Brier and calibration.
 */
function hybridMetrics(
  section: PredictiveSection,
  rulesTotals: readonly number[],
  selected: SelectedModel,
  labels: readonly number[],
): Metrics {
  const scores = rulesTotals.map((total, i) => mixHybrid(section, total, selected.outOfFold[i]!));
  const probabilities = crossFittedProbabilities(scores, labels) ?? scores.map((s) => s / 100);
  const metrics = metricsOf(probabilities, labels);
  const ranked = metricsOf(
    scores.map((s) => Math.min(1, Math.max(0, s / 100))),
    labels,
  );
  return { ...metrics, auc: ranked.auc, lift: ranked.lift };
}

function mixHybrid(section: PredictiveSection, rulesTotal: number, probability: number): number {
  const w = section.weights!;
  const sum = w.rules + w.predictive;
  const rules100 = 100 * Math.min(1, Math.max(0, rulesTotal / section.rulesScaleMax));
  return (w.rules / sum) * rules100 + (w.predictive / sum) * 100 * probability;
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
 * The rules version's tiers (names and fit or engagement conditions) set by share on the new
 * 0–100 scale: the top tier holds the top 10% of the training observations. With three or more
 * tiers the bottom tier holds the lower half and the tiers between share the other 40% equally;
 * with two tiers the bottom one holds the other 90%. The shares are kept current as scores move
 * (`topShare`); the minimums placed on the training observations apply until then. Minimums are
 * strictly decreasing, the bottom one 0.
 */
export function tiersByShare(
  rulesTiers: readonly TierBand[],
  totals: readonly number[],
): TierBand[] {
  const ordered = [...rulesTiers].sort((a, b) => b.min - a.min);
  const names = ordered.map((t) => t.name);
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
  return ordered.map((tier, i) => {
    const out: TierBand = { name: tier.name, min: mins[i]! };
    if (i < k - 1) out.topShare = Math.round(cumulative[i]! * 1e9) / 1e9;
    if (tier.minFit !== undefined && tier.minFit !== null) out.minFit = tier.minFit;
    if (tier.minEngagement !== undefined && tier.minEngagement !== null) {
      out.minEngagement = tier.minEngagement;
    }
    return out;
  });
}
