import { formatCount, formatNumber, formatPercent } from './format';
import { firstMonotonicBreak, type TierStat } from './tier-report';

export type VerdictLabel = 'predictive' | 'weak' | 'not predictive' | 'not enough data';

export interface Verdict {
  verdict: VerdictLabel;
  /** One plain sentence with the numbers behind the verdict. */
  reason: string;
}

/**
 * The thresholds behind `verdict`, in order:
 * 1. fewer than `minConversions` conversions or `minNonConversions` non-conversions →
 *    'not enough data' (an AUC on a handful of outcomes is noise);
 * 2. AUC ≥ `predictiveAuc` and conversion falls monotonically with tier → 'predictive';
 * 3. AUC ≥ `weakAuc` (including a good AUC whose tiers are out of order) → 'weak';
 * 4. otherwise → 'not predictive' (0.5 is a coin toss).
 */
export const VERDICT_THRESHOLDS = {
  predictiveAuc: 0.7,
  weakAuc: 0.6,
  minConversions: 30,
  minNonConversions: 30,
} as const;

export interface VerdictInput {
  total: number;
  conversions: number;
  /** NaN or null when undefined (no conversions or no non-conversions). */
  auc: number | null;
  /** Null when there are no tiers to check. */
  monotonic: boolean | null;
  baseRate?: number | null;
  /** Top tier first; used to name the tiers in the reason. */
  tiers?: readonly TierStat[];
}

export function verdict(report: VerdictInput): Verdict {
  const t = VERDICT_THRESHOLDS;
  const nonConversions = report.total - report.conversions;
  const auc = report.auc === null || Number.isNaN(report.auc) ? null : report.auc;
  if (
    report.conversions < t.minConversions ||
    nonConversions < t.minNonConversions ||
    auc === null
  ) {
    return {
      verdict: 'not enough data',
      reason:
        `Only ${formatCount(report.conversions)} of ${formatCount(report.total)} contacts converted ` +
        `(${formatCount(nonConversions)} did not); at least ${t.minConversions} of each are needed ` +
        `to judge the model.`,
    };
  }
  const aucText = `AUC ${formatNumber(auc, 2)}`;
  const tiers = report.tiers?.filter((s) => s.rate !== null) ?? [];
  const spread =
    tiers.length >= 2
      ? `, from ${formatPercent(tiers[0]!.rate)} in ${tiers[0]!.tier} to ` +
        `${formatPercent(tiers[tiers.length - 1]!.rate)} in ${tiers[tiers.length - 1]!.tier}` +
        (report.baseRate != null ? ` (base rate ${formatPercent(report.baseRate)})` : '')
      : '';
  const breakText = (): string => {
    const all = report.tiers ?? [];
    const b = firstMonotonicBreak(all.map((s) => s.rate));
    if (!b) return 'conversion does not fall with tier';
    const hi = all[b.higher]!;
    const lo = all[b.lower]!;
    return (
      `conversion does not fall with tier: ${lo.tier} converts ${formatPercent(lo.rate)} ` +
      `against ${formatPercent(hi.rate)} in ${hi.tier}`
    );
  };

  if (auc >= t.predictiveAuc) {
    if (report.monotonic === false) {
      return {
        verdict: 'weak',
        reason: `${aucText} ranks converters well, but ${breakText()}.`,
      };
    }
    return {
      verdict: 'predictive',
      reason:
        `${aucText} (at least ${t.predictiveAuc.toFixed(2)}) on ${formatCount(report.total)} ` +
        `contacts, ${formatCount(report.conversions)} converted` +
        (report.monotonic === true ? `; conversion falls with every tier${spread}.` : '.'),
    };
  }
  if (auc >= t.weakAuc) {
    return {
      verdict: 'weak',
      reason:
        `${aucText} is between ${t.weakAuc.toFixed(2)} and ${t.predictiveAuc.toFixed(2)}: ` +
        `converters score only somewhat higher than non-converters` +
        (report.monotonic === false ? `, and ${breakText()}.` : `${spread}.`),
    };
  }
  return {
    verdict: 'not predictive',
    reason:
      `${aucText} is below ${t.weakAuc.toFixed(2)}: converters score barely higher than ` +
      `non-converters (0.50 is a coin toss) on ${formatCount(report.total)} contacts, ` +
      `${formatCount(report.conversions)} converted.`,
  };
}
