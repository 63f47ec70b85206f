/** Text tables for the eval CLI (pure: returns lines). */
import { type CalibrationRow } from '../calibration-table';
import { type FoldResult, type Metrics } from '../cross-validate';
import { formatCount, formatNumber, formatPercent } from '../format';
import { type LiftRow } from '../lift-by-decile';
import { type FeatureWeight } from '../predictive-model';

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ');
  return [line(head), ...rows.map(line)].map((l) => `  ${l.trimEnd()}`);
}

export function foldTable(
  folds: readonly FoldResult[],
  pooled: Metrics,
  meanAuc: number,
  sdAuc: number,
): string[] {
  return [
    ...table(
      ['fold', 'train', 'test', 'conv', 'λ', 'AUC', 'Brier', 'log-loss'],
      [
        ...folds.map((f) => [
          String(f.fold),
          formatCount(f.trainRows),
          formatCount(f.rows),
          formatCount(f.conversions),
          String(f.lambda),
          formatNumber(f.auc, 4),
          formatNumber(f.brier, 4),
          formatNumber(f.logLoss, 4),
        ]),
        [
          'pooled',
          '',
          formatCount(pooled.rows),
          formatCount(pooled.conversions),
          '',
          formatNumber(pooled.auc, 4),
          formatNumber(pooled.brier, 4),
          formatNumber(pooled.logLoss, 4),
        ],
      ],
    ),
    `  mean fold AUC ${formatNumber(meanAuc, 4)} ± ${formatNumber(sdAuc, 4)} (sd); ` +
      `Brier of always predicting the base rate: ${formatNumber((pooled.baseRate ?? 0) * (1 - (pooled.baseRate ?? 0)), 4)}`,
  ];
}

export function calibrationLines(rows: readonly CalibrationRow[]): string[] {
  return table(
    ['bin', 'count', 'predicted range', 'mean predicted', 'observed'],
    rows.map((r) => [
      String(r.bin),
      formatCount(r.count),
      `${formatPercent(r.minPredicted)} – ${formatPercent(r.maxPredicted)}`,
      formatPercent(r.meanPredicted),
      formatPercent(r.observedRate),
    ]),
  );
}

export function liftLines(rows: readonly LiftRow[]): string[] {
  return table(
    ['decile', 'count', 'conv', 'rate', 'lift', 'cum. capture', 'cum. lift'],
    rows.map((r) => [
      String(r.decile),
      formatCount(r.count),
      formatCount(r.conversions),
      formatPercent(r.rate),
      `${formatNumber(r.lift, 2)}×`,
      formatPercent(r.cumulativeCapture),
      `${formatNumber(r.cumulativeLift, 2)}×`,
    ]),
  );
}

export function featureLines(features: readonly FeatureWeight[]): string[] {
  return table(
    ['feature', 'weight', 'odds ×', 'rows with it'],
    features.map((f) => [
      f.feature,
      (f.weight >= 0 ? '+' : '') + f.weight.toFixed(3),
      Math.exp(f.weight).toFixed(2),
      f.feature.endsWith('(standardised)') ? '–' : formatPercent(f.mean),
    ]),
  );
}
