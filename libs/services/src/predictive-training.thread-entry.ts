/** Entry of the worker thread started by `trainPredictiveModelInThread` (loaded as built JS). */
import { parentPort, workerData } from 'node:worker_threads';
import { trainPredictiveModel } from '@quorum/predictive';
import type { TrainThreadInput, TrainThreadResult } from './predictive-training-thread';

const { rows, labels, options } = workerData as TrainThreadInput;
let result: TrainThreadResult;
try {
  result = { ok: true, model: trainPredictiveModel(rows, labels, options) };
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  result = { ok: false, name: e.name, message: e.message };
}
parentPort!.postMessage(result);
