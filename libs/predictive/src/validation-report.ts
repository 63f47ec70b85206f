import { brierScore } from './brier-score';
import { calibrationTable, type CalibrationRow } from './calibration-table';
import { formatNumber, formatPercent } from './format';
import { liftByDecile, type LiftRow } from './lift-by-decile';
import { rocAuc } from './roc-auc';
import { tierReport, type TierStat } from './tier-report';
import { verdict, type Verdict } from './verdict';

export interface ValidationInput {
  /** Every tier, top first. */
  tiers: readonly string[];
  /** Each observation's tier as of the start of the observation. */
  tierOfEach: readonly string[];
  /** Each observation's score (any scale; higher = more likely to convert). */
  scores: readonly number[];
  /**
   * Each observation's predicted probability, for Brier and calibration. Leave out for a
   * model whose score is not a probability (a rules model): Brier and calibration are null.
   */
  probabilities?: readonly number[];
  /** 1 when the contact converted within the horizon. */
  labels: readonly number[];
  /** Rows of the calibration and lift tables (deciles by default). */
  bins?: number;
}

export interface ValidationReport {
  total: number;
  conversions: number;
  baseRate: number | null;
  tiers: TierStat[];
  monotonic: boolean;
  /** Null when undefined (no conversions or no non-conversions). */
  auc: number | null;
  brier: number | null;
  calibration: CalibrationRow[] | null;
  lift: LiftRow[];
  verdict: Verdict;
}

/** Everything `modelValidation` reports, from as-of scores and observed outcomes. */
export function buildValidationReport(input: ValidationInput): ValidationReport {
  const bins = input.bins ?? 10;
  if (input.scores.length !== input.labels.length) {
    throw new RangeError(`expected ${input.labels.length} scores, got ${input.scores.length}`);
  }
  const tiers = tierReport(input.tiers, input.tierOfEach, input.labels);
  const aucRaw = rocAuc(input.scores, input.labels);
  const auc = Number.isNaN(aucRaw) ? null : aucRaw;
  const probs = input.probabilities;
  const hasProbs = probs !== undefined && probs.length > 0;
  const brier = hasProbs ? brierScore(probs, input.labels) : null;
  const base = {
    total: tiers.total,
    conversions: tiers.conversions,
    baseRate: tiers.baseRate,
    tiers: tiers.tiers,
    monotonic: tiers.monotonic,
    auc,
    brier: brier === null || Number.isNaN(brier) ? null : brier,
    calibration: hasProbs ? calibrationTable(probs, input.labels, bins) : null,
    lift: liftByDecile(input.scores, input.labels, bins),
  };
  return { ...base, verdict: verdict(base) };
}

export interface ModelComparison {
  champion: ValidationReport;
  challenger: ValidationReport;
  /** challenger AUC − champion AUC; null when either is undefined. */
  aucDifference: number | null;
  /** challenger top-tier conversion − champion top-tier conversion (rates, 0–1). */
  topTierRateDifference: number | null;
  /** One sentence. */
  summary: string;
}

/** Two validation reports over the same window side by side (`compareModels`). */
export function compareReports(
  champion: ValidationReport,
  challenger: ValidationReport,
): ModelComparison {
  const aucDifference =
    champion.auc === null || challenger.auc === null ? null : challenger.auc - champion.auc;
  const topA = champion.tiers[0]?.rate ?? null;
  const topB = challenger.tiers[0]?.rate ?? null;
  const topTierRateDifference = topA === null || topB === null ? null : topB - topA;
  const signed = (v: number, text: string) => (v > 0 ? `+${text}` : text);
  const parts: string[] = [];
  if (aucDifference !== null) {
    parts.push(
      `AUC ${formatNumber(challenger.auc, 3)} against ${formatNumber(champion.auc, 3)} ` +
        `(${signed(aucDifference, formatNumber(aucDifference, 3))})`,
    );
  } else parts.push('AUC undefined for at least one model');
  if (topTierRateDifference !== null) {
    parts.push(
      `top tier converts ${formatPercent(topB)} against ${formatPercent(topA)} ` +
        `(${signed(topTierRateDifference, (topTierRateDifference * 100).toFixed(1))} points)`,
    );
  }
  return {
    champion,
    challenger,
    aucDifference,
    topTierRateDifference,
    summary: `Challenger: ${parts.join('; ')}.`,
  };
}
