import type { RescoreEntity, Repositories, WorkspaceId } from '@quorum/persistence';

const TABLES: Record<RescoreEntity, string> = { CONTACT: 'contacts', ACCOUNT: 'accounts' };

/**
 * A rescore job's batch, inside its transaction: its own marker, then up to `batch - 1`
 * other waiting markers of the workspace that no other transaction holds, then the rows,
 * locked in id order so batches never deadlock on each other. Empty when another job
 * already claimed this marker: that claimer saw it, so the write behind it had
 * committed, and it reads the entity's state after claiming.
 */
export async function claimPendingBatch(
  repos: Repositories,
  ws: WorkspaceId,
  entity: RescoreEntity,
  id: string,
  batch: number,
): Promise<string[]> {
  if (!(await repos.pending.claim(ws, entity, id))) return [];
  const others = batch > 1 ? await repos.pending.claimWaiting(ws, entity, batch - 1, id) : [];
  const locked: { id: string }[] = await repos.manager.query(
    `SELECT id FROM ${TABLES[entity]} WHERE workspace_id = $1 AND id = ANY($2::uuid[])
     ORDER BY id FOR NO KEY UPDATE`,
    [ws, [id, ...others]],
  );
  return locked.map((r) => r.id);
}
