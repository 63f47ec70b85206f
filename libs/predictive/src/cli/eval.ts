/**
 * `npm run eval -- <file.csv> [options]`: trains and cross-validates a predictive model on a
 * CSV with an outcome column and prints AUC, Brier, calibration, lift by decile and the top
 * features. The only file of this lib that does I/O.
 */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { BANK_MARKETING_SPEC, LEAKY_COLUMNS, matchesBankMarketing } from '../bank-marketing-spec';
import { assertEnoughOutcomes, ColdStartError, MIN_CONVERSIONS } from '../cold-start';
import { parseCsv } from '../csv';
import { buildDataset, defaultSpec } from '../dataset';
import { type FeatureSpec } from '../feature-spec';
import { formatCount, formatNumber, formatPercent } from '../format';
import { topFeatures, trainPredictiveModel } from '../predictive-model';
import { calibrationLines, featureLines, foldTable, liftLines } from './eval-report';
import { EVAL_USAGE, parseEvalArgs } from './eval-options';

function main(argv: readonly string[]): number {
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  const out = (line = '') => process.stdout.write(`${line}\n`);

  let options;
  try {
    options = parseEvalArgs(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${EVAL_USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    out(EVAL_USAGE);
    return 0;
  }

  // npm runs scripts from the repo root; resolve the file against where the user typed it.
  const path = resolve(process.env['INIT_CWD'] ?? process.cwd(), options.file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    process.stderr.write(`Cannot read ${path}: ${(err as Error).message}\n`);
    return 1;
  }
  const csv = parseCsv(text, options.delimiter);
  text = '';

  const leaky = csv.header.filter((h) => h in LEAKY_COLUMNS);
  const drop = options.drop ?? leaky;
  const data = buildDataset(csv.header, csv.records, {
    outcome: options.outcome,
    positive: options.positive,
    drop,
  });
  csv.records.length = 0;
  const conversions = data.labels.reduce<number>((s, y) => s + y, 0);

  out(`Quorum predictive eval: ${basename(path)}`);
  out(
    `Rows ${formatCount(data.rows.length)}, delimiter ${JSON.stringify(csv.delimiter)}, ` +
      `outcome ${data.outcome} = ${JSON.stringify(data.positive)}: ${formatCount(conversions)} ` +
      `conversions, base rate ${formatPercent(conversions / data.rows.length, 2)}`,
  );
  for (const d of data.dropped) {
    out(`Dropped ${d}: ${LEAKY_COLUMNS[d] ?? 'as asked (--drop)'}.`);
  }
  for (const l of leaky) {
    if (!data.dropped.includes(l)) out(`Warning: kept ${l} although ${LEAKY_COLUMNS[l]}.`);
  }
  out(
    `Columns: ${data.columns.map((c) => `${c.name} (${c.kind === 'numeric' ? 'num' : 'cat'})`).join(', ')}`,
  );

  try {
    assertEnoughOutcomes(data.labels, options.minConversions ?? MIN_CONVERSIONS);
  } catch (err) {
    if (err instanceof ColdStartError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }

  const names = data.columns.map((c) => c.name);
  let spec: FeatureSpec;
  if (
    options.preset === 'bank-marketing' ||
    (options.preset === 'auto' && matchesBankMarketing(names))
  ) {
    if (!matchesBankMarketing(names)) {
      process.stderr.write('--preset bank-marketing: the file lacks some of its columns\n');
      return 2;
    }
    spec = BANK_MARKETING_SPEC;
    out(
      'Features: bank-marketing recipe (one-hot categoricals and economic indicators, quantile ' +
        'bins for age/campaign/previous, euribor3m in 100 bins, interactions ' +
        `${(spec.interactions ?? []).map((i) => i.columns.join('×')).join(', ')})`,
    );
  } else {
    spec = defaultSpec(data.columns, options.bins);
    out(
      `Features: categoricals one-hot (levels with ≥ 10 rows), numbers in ${options.bins} quantile bins`,
    );
  }
  const lambdaText =
    typeof options.lambda === 'number'
      ? `λ = ${options.lambda} (fixed)`
      : `λ from {${options.lambda.join(', ')}} by ${options.innerFolds}-fold CV inside each training part ` +
        '(lowest log-loss; the test fold is never seen)';
  out(`Cross-validation: ${options.folds} stratified folds, seed ${options.seed}, ${lambdaText}`);
  out();

  let model;
  try {
    model = trainPredictiveModel(data.rows, data.labels, {
      spec,
      lambda: options.lambda,
      folds: options.folds,
      innerFolds: options.innerFolds,
      seed: options.seed,
      minConversions: options.minConversions ?? MIN_CONVERSIONS,
      onFold: (f) =>
        process.stderr.write(
          `  fold ${f.fold}/${options.folds}: AUC ${formatNumber(f.auc, 4)}, λ ${f.lambda} (${elapsed().toFixed(1)} s)\n`,
        ),
    });
  } catch (err) {
    if (err instanceof ColdStartError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const cv = model.metrics!;
  out('Cross-validated metrics (each fold scored by a model that never saw it):');
  foldTable(cv.folds, cv.pooled, cv.meanAuc, cv.sdAuc).forEach((l) => out(l));
  out();
  out('Calibration (pooled out-of-fold, deciles of predicted probability):');
  calibrationLines(cv.pooled.calibration).forEach((l) => out(l));
  out();
  out('Lift by decile (pooled out-of-fold, highest predicted first):');
  liftLines(cv.pooled.lift).forEach((l) => out(l));
  out();
  const choice = model.training.lambdaChoice;
  out(
    `Final model on all ${formatCount(model.training.rows)} rows: ${model.encoder.width} features, ` +
      `λ = ${model.lambda}` +
      (choice
        ? ` (${choice.folds}-fold CV log-loss: ${choice.candidates
            .map((c) => `${c.lambda}: ${formatNumber(c.logLoss, 4)}`)
            .join(', ')})`
        : '') +
      `, ${model.training.iterations} iterations, ${model.training.converged ? 'converged' : 'NOT converged'}`,
  );
  out(`Top ${options.top} features by |weight| (log-odds; odds × = e^weight):`);
  featureLines(topFeatures(model, options.top)).forEach((l) => out(l));
  out();
  out(
    `Pooled AUC ${formatNumber(cv.pooled.auc, 4)}, Brier ${formatNumber(cv.pooled.brier, 4)}. ` +
      `Run time ${elapsed().toFixed(1)} s.`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
