/** Entry of the worker thread started by `selectModelInThread` (loaded as built JS). */
import { parentPort, workerData } from 'node:worker_threads';
import { selectModel } from '@quorum/predictive';
import type { TrainThreadInput, TrainThreadResult } from './predictive-training-thread';

const { rows, labels, options } = workerData as TrainThreadInput;
let result: TrainThreadResult;
try {
  result = { ok: true, selected: selectModel(rows, labels, options) };
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  result = { ok: false, name: e.name, message: e.message };
}
parentPort!.postMessage(result);
