/**
 * Gradient-boosted trees on real outcomes: the UCI Bank Marketing data
 * (../shared/data/uci-bank-marketing/, see its PROVENANCE.md), read in place from outside the
 * repo; skipped, with a message, when the file is absent. The same 5 folds as the logistic
 * regression's cross-validation (uci-bank-marketing.spec.ts), `duration` left out. Categorical
 * columns become codes ordered by each training fold's conversion rates.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BANK_MARKETING_SPEC } from '../bank-marketing-spec';
import { crossValidate } from '../cross-validate';
import { parseCsv } from '../csv';
import { buildDataset } from '../dataset';
import { createRng } from '../rng';
import { rocAuc } from '../roc-auc';
import { stratifiedFolds } from '../stratified-folds';
import { fitOrderedCodes } from './ordered-codes.spec-helper';
import { predictGbdtLogits } from './predict-gbdt';
import { trainGbdt } from './train-gbdt';

// libs/predictive/src/trees → repo root → ../shared/data
const FILE = resolve(
  __dirname,
  '../../../../../shared/data/uci-bank-marketing/bank-additional-full.csv',
);
const exists = existsSync(FILE);
if (!exists) {
  console.warn(`Skipping the UCI bank-marketing GBDT test: ${FILE} is absent.`);
}

describe('UCI bank marketing: gradient-boosted trees (real outcomes)', () => {
  it.skipIf(!exists)(
    'reaches a pooled 5-fold cross-validated AUC ≥ 0.80 without duration, next to logistic regression',
    () => {
      const csv = parseCsv(readFileSync(FILE, 'utf8'));
      const data = buildDataset(csv.header, csv.records, { drop: ['duration'] });
      expect(data.rows).toHaveLength(41_188);
      const k = 5;
      const seed = 42;
      const foldOf = stratifiedFolds(data.labels, k, createRng(seed));
      const outOfFold = new Array<number>(data.rows.length).fill(0);
      const foldAucs: number[] = [];
      const treeCounts: number[] = [];
      for (let f = 0; f < k; f++) {
        const trainIdx: number[] = [];
        const testIdx: number[] = [];
        foldOf.forEach((g, i) => (g === f ? testIdx : trainIdx).push(i));
        const trainRows = trainIdx.map((i) => data.rows[i]!);
        const trainLabels = trainIdx.map((i) => data.labels[i]!);
        const codes = fitOrderedCodes(data.columns, trainRows, trainLabels);
        const model = trainGbdt(codes.columns(trainRows), trainLabels, {
          featureNames: codes.names,
          seed: f,
        });
        treeCounts.push(model.trees.length);
        const logits = predictGbdtLogits(model, codes.columns(testIdx.map((i) => data.rows[i]!)));
        testIdx.forEach((i, t) => (outOfFold[i] = logits[t]!));
        foldAucs.push(
          rocAuc(
            [...logits],
            testIdx.map((i) => data.labels[i]!),
          ),
        );
      }
      const trees = rocAuc(outOfFold, data.labels);
      const lr = crossValidate(data.rows, data.labels, k, seed, {
        spec: BANK_MARKETING_SPEC,
        lambda: 10,
      });
      console.log(
        `UCI bank marketing, 5-fold CV (seed ${seed}), pooled AUC: trees ${trees.toFixed(4)} ` +
          `(folds ${foldAucs.map((a) => a.toFixed(4)).join(' ')}; trees kept ${treeCounts.join(' ')}), ` +
          `logistic regression ${lr.pooled.auc.toFixed(4)} ` +
          `(folds ${lr.folds.map((r) => r.auc.toFixed(4)).join(' ')}); ` +
          `difference ${(trees - lr.pooled.auc).toFixed(4)}`,
      );
      expect(trees).toBeGreaterThanOrEqual(0.8);
      for (const a of foldAucs) expect(a).toBeGreaterThan(0.79);
    },
    180_000,
  );
});
