import type { TimedGql } from './fault-stack';
import type { ActivityLedger, Batch, BatchResult } from './exact-scoring';

const RECORD = `mutation($activities: [ActivityInput!]!) {
  recordActivities(activities: $activities) { accepted duplicates contactsCreated scoringDelayed }
}`;

/**
 * Sends `batch` until the API accepts it, as a partner retries a failed call: with the same
 * externalIds, so a call that failed after its COMMIT (the connection cut before the answer)
 * comes back as all duplicates instead of counting twice. Either answer commits the batch to the
 * ledger once; any other answer is an error. Returns null if nothing was accepted by `deadline`.
 */
export async function sendUntilAccepted(
  gql: TimedGql,
  ledger: ActivityLedger,
  batch: Batch,
  deadline = Infinity,
): Promise<BatchResult | null> {
  for (;;) {
    const result = await gql(RECORD, { activities: batch.activities }).catch(() => null);
    const r = result?.errors?.length ? null : (result?.data?.recordActivities as BatchResult);
    if (r) {
      const asSent =
        r.accepted === batch.expected.accepted &&
        r.duplicates === batch.expected.duplicates &&
        r.contactsCreated === batch.expected.contactsCreated;
      const alreadyIn =
        r.accepted === 0 && r.duplicates === batch.activities.length && r.contactsCreated === 0;
      if (!asSent && !alreadyIn)
        throw new Error(
          `recordActivities answered ${JSON.stringify(r)} to a batch expecting ${JSON.stringify(batch.expected)}`,
        );
      ledger.commit(batch);
      return r;
    }
    if (Date.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
