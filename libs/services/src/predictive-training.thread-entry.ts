/** Entry of the worker thread started by `selectModelInThread` (loaded as built JS). */
import { parentPort, workerData } from 'node:worker_threads';
import { selectModel, type FeatureRow } from '@quorum/predictive';
import type {
  TrainThreadInput,
  TrainThreadMessage,
  TrainThreadResult,
} from './predictive-training-thread';

const { labels, options } = workerData as TrainThreadInput;
const rows: FeatureRow[] = [];
parentPort!.on('message', (message: TrainThreadMessage) => {
  if ('rows' in message) {
    rows.push(...message.rows);
    return;
  }
  let result: TrainThreadResult;
  try {
    result = { ok: true, selected: selectModel(rows, labels, options) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    result = { ok: false, name: e.name, message: e.message };
  }
  parentPort!.postMessage(result);
  parentPort!.close();
});
