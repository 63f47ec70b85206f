import { type FeatureRow } from '../feature-spec';
import { rocAuc } from '../roc-auc';
import { type TabularColumn } from './tabular-column';

/** A column whose values alone separate outcomes this well is suspicious. */
export const LEAK_AUC = 0.95;

/**
 * Columns that alone nearly separate conversions from the rest (AUC ≥ 0.95 either way, on the
 * rows that have a value): a CRM field such as "Lead status" or "Close date" often records the
 * outcome itself, and a model trained on it looks perfect and is useless. Categories are ranked
 * by their own conversion rate, so a column with a level per row (an id) is flagged too.
 */
export function leakWarnings(
  rows: readonly FeatureRow[],
  labels: readonly number[],
  columns: readonly TabularColumn[],
): string[] {
  const warnings: string[] = [];
  for (const column of columns) {
    const scores: number[] = [];
    const ys: number[] = [];
    if (column.type === 'number') {
      rows.forEach((row, i) => {
        const v = row[column.name];
        if (typeof v === 'number' && Number.isFinite(v)) {
          scores.push(v);
          ys.push(labels[i]!);
        }
      });
    } else {
      const stats = new Map<string, { n: number; y: number }>();
      rows.forEach((row, i) => {
        const v = row[column.name];
        if (v === null || v === undefined) return;
        const s = stats.get(String(v)) ?? { n: 0, y: 0 };
        s.n++;
        s.y += labels[i]!;
        stats.set(String(v), s);
      });
      rows.forEach((row, i) => {
        const v = row[column.name];
        if (v === null || v === undefined) return;
        const s = stats.get(String(v))!;
        scores.push(s.y / s.n);
        ys.push(labels[i]!);
      });
    }
    if (ys.length < Math.max(20, 0.05 * rows.length)) continue;
    const auc = rocAuc(scores, ys);
    if (!Number.isFinite(auc)) continue;
    const strength = Math.max(auc, 1 - auc);
    if (strength >= LEAK_AUC) {
      warnings.push(
        `${column.name} alone separates the outcomes (AUC ${strength.toFixed(3)} on ${ys.length} rows): ` +
          'if it records the outcome or is an id, leave it out with features.exclude',
      );
    }
  }
  return warnings;
}
