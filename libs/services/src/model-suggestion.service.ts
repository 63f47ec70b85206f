import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Clock } from '@quorum/config';
import type { Database, ScoringModelVersionEntity, WorkspaceId } from '@quorum/persistence';
import {
  ColdStartError,
  assertEnoughOutcomes,
  compareReports,
  MIN_CONVERSIONS,
  trainLogistic,
  type ModelComparison,
} from '@quorum/predictive';
import {
  candidateRules,
  discoverFeatures,
  probeModel,
  probeRuleIds,
  ruleActivations,
  scoreLead,
  suggestedDefinition,
  validateModelDefinition,
  type ScoringModelDefinition,
} from '@quorum/scoring';
import { InputError, InsufficientOutcomesError, NotFoundError } from './errors';
import { isUuid } from './field-checks';
import type { ModelValidation, ModelValidationService } from './model-validation.service';
import type { PredictiveTrainingService } from './predictive-training.service';
import { tiersByShare } from './predictive-training.service';

const YIELD_EVERY = 1_000;
/** Light L2: the activations are few and on the scale of a count. */
const LAMBDA = 1;

export interface SuggestInput {
  from: Date;
  to: Date;
  horizonDays: number;
  basedOnId?: string | null;
  description?: string | null;
}

/** What the suggestion changed, rule by rule. */
export interface RuleChange {
  ruleId: string;
  label: string;
  section: 'fit' | 'engagement' | 'negative';
  /** Null for a rule the suggestion added. */
  before: number | null;
  after: number;
  /** Why a new rule was added; null for an existing rule. */
  why: string | null;
}

export interface ModelSuggestion {
  draft: ScoringModelVersionEntity;
  validation: ModelValidation;
  activeValidation: ModelValidation;
  comparison: ModelComparison;
  changes: RuleChange[];
}

/**
 * Suggests a rules model from recorded outcomes (`suggestScoringModel`): the points each rule
 * of a version has earned, new rules for strong signals it lacks, tiers set by share, written
 * as an ordinary editable draft and validated next to the active version over the same window.
 */
export class ModelSuggestionService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly training: PredictiveTrainingService,
    private readonly validation: ModelValidationService,
  ) {}

  async suggest(
    ws: WorkspaceId,
    input: SuggestInput,
    actorKeyId: string | null = null,
  ): Promise<ModelSuggestion> {
    const basedOn = await this.basedOn(ws, input.basedOnId);
    const model = basedOn.definition as unknown as ScoringModelDefinition;
    if (model.predictive) {
      throw new InputError([
        { path: 'basedOn', message: 'must be a rules version (this one is predictive)' },
      ]);
    }
    const observed = await this.training.observations(
      ws,
      model,
      input.from,
      input.to,
      input.horizonDays,
    );
    const labels = observed.map((o) => (o.converted ? 1 : 0));
    try {
      assertEnoughOutcomes(labels, MIN_CONVERSIONS);
    } catch (error) {
      if (!(error instanceof ColdStartError)) throw error;
      throw new InsufficientOutcomesError(
        `${error.message} (${observed.length} observations from ${input.from.toISOString()} to ${input.to.toISOString()}, horizon ${input.horizonDays} days.)`,
        error.conversions,
        error.nonConversions,
        error.required,
      );
    }
    const samples = observed.map((o) => ({
      contact: o.contact,
      account: o.account,
      activities: o.history,
      converted: o.converted,
    }));
    const { set } = discoverFeatures(samples);
    const candidates = candidateRules(samples, model, set);
    const probe = probeModel(model, candidates);
    const ids = probeRuleIds(probe);
    const X: number[][] = [];
    for (const o of observed) {
      if (X.length % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
      X.push(ruleActivations(probe, ids, o.contact, o.account, o.history, o.at));
    }
    const fit = trainLogistic(X, labels, { lambda: LAMBDA });
    const weights = new Map(ids.map((id, j) => [id, fit.weights[j]!]));
    const suggested = suggestedDefinition(model, candidates, weights);
    const totals: number[] = [];
    for (const o of observed) {
      if (totals.length % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
      totals.push(scoreLead(suggested, o.contact, o.account, o.history, o.at).total);
    }
    const definition: ScoringModelDefinition = {
      ...suggested,
      tiers: tiersByShare(model.tiers, totals),
    };
    const checked = validateModelDefinition(definition);
    if (!checked.ok) {
      throw new Error(
        `the suggested model does not validate: ${checked.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      );
    }
    const draft = await this.save(ws, basedOn, checked.model, observed.length, actorKeyId, input);
    const validation = await this.validation.validate(
      ws,
      draft.id,
      input.from,
      input.to,
      input.horizonDays,
    );
    const activeValidation = await this.validation.validate(
      ws,
      basedOn.id,
      input.from,
      input.to,
      input.horizonDays,
    );
    return {
      draft,
      validation,
      activeValidation,
      comparison: compareReports(activeValidation, validation),
      changes: ruleChanges(model, checked.model, candidates),
    };
  }

  private async save(
    ws: WorkspaceId,
    basedOn: ScoringModelVersionEntity,
    definition: ScoringModelDefinition,
    observations: number,
    actorKeyId: string | null,
    input: SuggestInput,
  ): Promise<ScoringModelVersionEntity> {
    return this.db.transaction(ws, async (repos) => {
      const version = await repos.models.insert(ws, {
        id: randomUUID(),
        status: 'DRAFT',
        description:
          input.description?.slice(0, 200) ??
          `Suggested from outcomes: version ${basedOn.version} re-weighted on ${observations} observations`,
        definition: definition as unknown as Record<string, unknown>,
        basedOnId: basedOn.id,
      });
      await repos.audit.record(ws, {
        action: 'MODEL_SUGGESTED',
        actorKeyId,
        targetType: 'SCORING_MODEL_VERSION',
        targetId: version.id,
        details: {
          version: version.version,
          basedOnId: basedOn.id,
          from: input.from.toISOString(),
          to: input.to.toISOString(),
          horizonDays: input.horizonDays,
          observations,
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

function ruleChanges(
  before: ScoringModelDefinition,
  after: ScoringModelDefinition,
  candidates: readonly { rule: { id: string }; why: string }[],
): RuleChange[] {
  const previous = new Map<string, number>();
  for (const r of [...before.fit.rules, ...before.engagement.rules, ...before.negative.rules]) {
    previous.set(r.id, r.points);
  }
  const why = new Map(candidates.map((c) => [c.rule.id, c.why]));
  const sections = [
    ['fit', after.fit.rules],
    ['engagement', after.engagement.rules],
    ['negative', after.negative.rules],
  ] as const;
  return sections.flatMap(([section, rules]) =>
    rules.map((r) => ({
      ruleId: r.id,
      label: r.label,
      section,
      before: previous.get(r.id) ?? null,
      after: r.points,
      why: why.get(r.id) ?? null,
    })),
  );
}
