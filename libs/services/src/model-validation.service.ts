import type { Database, ScoringModelVersionEntity, WorkspaceId } from '@quorum/persistence';
import {
  buildValidationReport,
  compareReports,
  createRng,
  predictProbability,
  stratifiedFolds,
  trainLogistic,
  type ModelComparison,
  type ValidationReport,
} from '@quorum/predictive';
import type { TierBand } from '@quorum/scoring';
import { NotFoundError } from './errors';
import { isUuid } from './field-checks';
import type { Observation, ValidationDatasetService } from './validation-dataset.service';

export interface ModelValidation extends ValidationReport {
  versionId: string;
  from: Date;
  to: Date;
  horizonDays: number;
  /** How the score became a probability for Brier and calibration. */
  probabilityMethod: string;
}

const CALIBRATION_FOLDS = 5;

/**
 * A rules score is not a probability, so for Brier and calibration it is mapped to one by
 * logistic (Platt) scaling fitted out of fold: each observation's probability comes from
 * a fit on the other folds, so the calibration table is honest.
 */
export function crossFittedProbabilities(
  scores: readonly number[],
  labels: readonly number[],
): number[] | null {
  const positives = labels.filter((l) => l === 1).length;
  if (positives < CALIBRATION_FOLDS || labels.length - positives < CALIBRATION_FOLDS) return null;
  const mean = scores.reduce((s, x) => s + x, 0) / scores.length;
  const sd = Math.sqrt(scores.reduce((s, x) => s + (x - mean) ** 2, 0) / scores.length) || 1;
  const z = scores.map((x) => [(x - mean) / sd]);
  const folds = stratifiedFolds(labels, CALIBRATION_FOLDS, createRng(7));
  const probabilities = new Array<number>(scores.length);
  for (let k = 0; k < CALIBRATION_FOLDS; k += 1) {
    const trainX: number[][] = [];
    const trainY: number[] = [];
    folds.forEach((fold, i) => {
      if (fold !== k) {
        trainX.push(z[i]!);
        trainY.push(labels[i]!);
      }
    });
    const fit = trainLogistic(trainX, trainY, { lambda: 1e-3 });
    folds.forEach((fold, i) => {
      if (fold === k) probabilities[i] = predictProbability(fit, z[i]!);
    });
  }
  return probabilities;
}

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
  ): Promise<ModelValidation> {
    const version = await this.version(ws, versionId, path);
    const observations = await this.dataset.build(ws, version, from, to, horizonDays);
    return {
      ...this.report(version, observations),
      versionId,
      from,
      to,
      horizonDays,
      probabilityMethod: 'platt-scaling-5-fold',
    };
  }

  report(
    version: Pick<ScoringModelVersionEntity, 'definition'>,
    observations: readonly Observation[],
  ): ValidationReport {
    const tiers = [...((version.definition['tiers'] as TierBand[]) ?? [])]
      .sort((a, b) => b.min - a.min)
      .map((t) => t.name);
    const scores = observations.map((o) => o.total);
    const labels = observations.map((o) => (o.converted ? 1 : 0));
    const probabilities = crossFittedProbabilities(scores, labels) ?? undefined;
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
