/**
 * Cross-validation on real outcomes: the UCI Bank Marketing data
 * (../shared/data/uci-bank-marketing/, see its PROVENANCE.md), read from outside the repo.
 * Skipped, with a message, when the file is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BANK_MARKETING_SPEC, matchesBankMarketing } from './bank-marketing-spec';
import { crossValidate } from './cross-validate';
import { parseCsv } from './csv';
import { buildDataset } from './dataset';

// libs/predictive/src → repo root (/work/main) → ../shared/data
const FILE = resolve(
  __dirname,
  '../../../../shared/data/uci-bank-marketing/bank-additional-full.csv',
);
const exists = existsSync(FILE);
if (!exists) {
  console.warn(`Skipping the UCI bank-marketing test: ${FILE} is absent.`);
}

describe('UCI bank marketing (real outcomes)', () => {
  it.skipIf(!exists)(
    'reaches a pooled 5-fold cross-validated AUC ≥ 0.80 without the leaky duration column',
    () => {
      const csv = parseCsv(readFileSync(FILE, 'utf8'));
      const data = buildDataset(csv.header, csv.records, { drop: ['duration'] });
      expect(data.rows).toHaveLength(41_188);
      expect(data.labels.filter((y) => y === 1)).toHaveLength(4_640);
      expect(data.columns.map((c) => c.name)).not.toContain('duration');
      expect(matchesBankMarketing(data.columns.map((c) => c.name))).toBe(true);

      // λ = 10 is what the nested λ search of the eval CLI picks in every fold.
      const cv = crossValidate(data.rows, data.labels, 5, 42, {
        spec: BANK_MARKETING_SPEC,
        lambda: 10,
      });
      expect(cv.pooled.auc).toBeGreaterThanOrEqual(0.8);
      for (const fold of cv.folds) expect(fold.auc).toBeGreaterThan(0.79);
      // Better than always predicting the base rate (0.1127 × 0.8873 ≈ 0.1000).
      expect(cv.pooled.brier).toBeLessThan(0.078);
      // Top decile converts at > 4× the base rate; calibration within 2 points in every decile.
      expect(cv.pooled.lift[0]!.lift).toBeGreaterThan(4);
      for (const row of cv.pooled.calibration) {
        expect(Math.abs(row.meanPredicted - row.observedRate)).toBeLessThan(0.02);
      }
    },
    60_000,
  );
});
