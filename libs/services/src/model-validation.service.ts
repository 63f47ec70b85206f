import type { Database, ScoringModelVersionEntity, WorkspaceId } from '@quorum/persistence';
import {
  buildValidationReport,
  compareReports,
  crossFittedProbabilities,
  type ModelComparison,
  type ValidationReport,
} from '@quorum/predictive';
import {
  DAY_MS,
  type PredictiveSection,
  type ScoringModelDefinition,
  type TierBand,
} from '@quorum/scoring';
import { rulesAccountScore } from './account-training-set';
import { NotFoundError } from './errors';
import { isUuid } from './field-checks';
import { workspaceHash } from './predictive-training.service';
import {
  observeAccounts,
  type Observation,
  type ValidationDatasetService,
} from './validation-dataset.service';

export interface ModelValidation extends ValidationReport {
  versionId: string;
  from: Date;
  to: Date;
  horizonDays: number;
  /**
   * How the score became a probability for Brier and calibration: a PREDICTIVE version's own
   * probability (the total users see, ÷ 100), or, for scores that are not probabilities (rules,
   * hybrid), logistic scaling fitted out of fold.
   */
  probabilityMethod: ProbabilityMethod;
  /** The validation window overlaps the window the version was trained on: in-sample figures. */
  overlapsTraining: boolean;
}

/** How `modelValidation` turns scores into probabilities for Brier and calibration. */
export type ProbabilityMethod = 'model-probability' | 'platt-scaling-5-fold';

/** Does this model predict conversion? Answered from stored history, without look-ahead. */
export class ModelValidationService {
  constructor(
    private readonly db: Database,
    private readonly dataset: ValidationDatasetService,
  ) {}

  private async version(
    ws: WorkspaceId,
    id: string,
    path: string,
  ): Promise<ScoringModelVersionEntity> {
    const [version] = isUuid(id) ? await this.db.repos.models.findByIds(ws, [id]) : [];
    if (!version) throw new NotFoundError('ScoringModelVersion', id, path);
    return version;
  }

  async validate(
    ws: WorkspaceId,
    versionId: string,
    from: Date,
    to: Date,
    horizonDays: number,
    path = 'versionId',
    /** CONTACT: leads against contact outcomes; ACCOUNT: accounts against account outcomes. */
    entity: 'CONTACT' | 'ACCOUNT' = 'CONTACT',
  ): Promise<ModelValidation> {
    const version = await this.version(ws, versionId, path);
    const model = version.definition as unknown as ScoringModelDefinition;
    const observations =
      entity === 'ACCOUNT'
        ? await accountObservations(this.db, ws, model, from, to, horizonDays)
        : await this.dataset.build(ws, version, from, to, horizonDays);
    const section = entity === 'ACCOUNT' ? model.account.predictive : model.predictive;
    const trainedEnd = section
      ? Date.parse(section.training.to) + section.training.horizonDays * DAY_MS
      : null;
    const tiers = entity === 'ACCOUNT' ? model.account.tiers : model.tiers;
    return {
      ...this.report(tiers, section, observations),
      versionId,
      from,
      to,
      horizonDays,
      probabilityMethod: probabilityMethodOf(section),
      overlapsTraining:
        section !== undefined &&
        section.training.workspaceHash === workspaceHash(ws) &&
        from.getTime() < trainedEnd! &&
        to.getTime() > Date.parse(section.training.from),
    };
  }

  report(
    bands: readonly TierBand[],
    section: PredictiveSection | undefined,
    observations: readonly Pick<Observation, 'total' | 'tier' | 'converted'>[],
  ): ValidationReport {
    const tiers = [...bands].sort((a, b) => b.min - a.min).map((t) => t.name);
    const scores = observations.map((o) => o.total);
    const labels = observations.map((o) => (o.converted ? 1 : 0));
    const probabilities =
      probabilityMethodOf(section) === 'model-probability'
        ? scores.map((s) => Math.min(1, Math.max(0, s / 100)))
        : (crossFittedProbabilities(scores, labels) ?? undefined);
    return buildValidationReport({
      tiers,
      tierOfEach: observations.map((o) => o.tier),
      scores,
      probabilities,
      labels,
    });
  }

  /** Champion and challenger over the same window, side by side. */
  async compare(
    ws: WorkspaceId,
    championId: string,
    challengerId: string,
    from: Date,
    to: Date,
    horizonDays: number,
  ): Promise<ModelComparison & { champion: ModelValidation; challenger: ModelValidation }> {
    const champion = await this.validate(ws, championId, from, to, horizonDays, 'championId');
    const challenger = await this.validate(ws, challengerId, from, to, horizonDays, 'challengerId');
    return { ...compareReports(champion, challenger), champion, challenger };
  }
}

/** A PREDICTIVE version's total is its probability; anything else is mapped to one. */
function probabilityMethodOf(section: PredictiveSection | undefined): ProbabilityMethod {
  return section?.mode === 'PREDICTIVE' ? 'model-probability' : 'platt-scaling-5-fold';
}

/** Every account as of each window start, scored under the model from what it knew then. */
async function accountObservations(
  db: Database,
  ws: WorkspaceId,
  model: ScoringModelDefinition,
  from: Date,
  to: Date,
  horizonDays: number,
): Promise<{ total: number; tier: string; converted: boolean }[]> {
  const out: { total: number; tier: string; converted: boolean }[] = [];
  await observeAccounts(db, ws, from, to, horizonDays, (o) => {
    const score = rulesAccountScore(model, o, { withHistories: true });
    out.push({ total: score.total, tier: score.tier, converted: o.converted });
  });
  return out;
}
