import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import {
  assertEnoughOutcomes,
  assertLabels,
  MIN_CONVERSIONS,
  type FeatureRow,
  type SelectedModel,
  type SelectModelOptions,
} from '@quorum/predictive';

/** Options that can cross to a thread (no progress callback). */
export type ThreadTrainingOptions = Omit<SelectModelOptions, 'onProgress'> & {
  /** Default `MIN_CONVERSIONS`. */
  minConversions?: number;
};

/** What the training thread receives as its `workerData`; the rows follow as messages. */
export interface TrainThreadInput {
  labels: readonly number[];
  options: ThreadTrainingOptions;
}

/** A message to the training thread: a chunk of the rows, in order, then `done`. */
export type TrainThreadMessage = { rows: readonly FeatureRow[] } | { done: true };

/**
 * Rows copied to the thread per message. Copying 50,000 rows of ~60 columns in one go held the
 * event loop for most of a second; in chunks, other requests are served between them.
 */
export const ROWS_PER_MESSAGE = 2_000;

/** What the training thread posts back. */
export type TrainThreadResult =
  { ok: true; selected: SelectedModel } | { ok: false; name: string; message: string };

/**
 * The thread's entry, built JS: next to this file in dist, and when this file runs from its
 * TypeScript source (vitest), the built copy in the package's dist.
 */
export function trainThreadFile(): string {
  const dir = __filename.endsWith('.ts') ? join(__dirname, '..', 'dist') : __dirname;
  return join(dir, 'predictive-training.thread-entry.js');
}

/**
 * `selectModel` on a worker thread, so that a server's event loop stays free during the seconds
 * to minutes of cross-validating and fitting every candidate. Too few outcomes are refused here,
 * at once, with `ColdStartError`.
 */
export function selectModelInThread(
  rows: readonly FeatureRow[],
  labels: readonly number[],
  options: ThreadTrainingOptions,
): Promise<SelectedModel> {
  assertLabels(labels, rows.length);
  assertEnoughOutcomes(labels, options.minConversions ?? MIN_CONVERSIONS);
  const file = trainThreadFile();
  if (!existsSync(file)) {
    return Promise.reject(
      new Error(`${file} is missing: build @quorum/services first (npm run build)`),
    );
  }
  return new Promise((resolve, reject) => {
    const input: TrainThreadInput = { labels, options };
    const worker = new Worker(file, {
      workerData: input,
      name: 'quorum-predictive-training',
      execArgv: withoutConditions(process.execArgv),
    });
    void sendRows(worker, rows).catch((error: unknown) => {
      void worker.terminate();
      reject(error);
    });
    // Settled once the thread has exited, so no training thread outlives its request.
    let outcome: TrainThreadResult | Error | null = null;
    worker.once('message', (result: TrainThreadResult) => (outcome ??= result));
    worker.once('error', (error) => (outcome ??= error));
    worker.once('exit', (code) => {
      if (outcome === null) reject(new Error(`the training thread exited with code ${code}`));
      else if (outcome instanceof Error) reject(outcome);
      else if (outcome.ok) resolve(outcome.selected);
      else reject(Object.assign(new Error(outcome.message), { name: outcome.name }));
    });
  });
}

async function sendRows(worker: Worker, rows: readonly FeatureRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_MESSAGE) {
    const message: TrainThreadMessage = { rows: rows.slice(i, i + ROWS_PER_MESSAGE) };
    worker.postMessage(message);
    await yieldToEventLoop();
  }
  const done: TrainThreadMessage = { done: true };
  worker.postMessage(done);
}

/**
 * The parent's flags without export conditions: under vitest they include `@quorum/source`,
 * which would point the thread's `@quorum/*` imports at TypeScript it cannot run.
 */
function withoutConditions(argv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--conditions' || arg === '-C') i++;
    else if (!arg.startsWith('--conditions=')) kept.push(arg);
  }
  return kept;
}
