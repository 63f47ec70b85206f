import type { Clock } from '@quorum/config';
import {
  trustedWorkspaceId,
  type Database,
  type ScoredEntity,
  type ShareTier,
  type WorkspaceId,
} from '@quorum/persistence';
import type { ScoringModelDefinition } from '@quorum/scoring';
import { modelOf } from './lead-scoring.service';
import type { RescoreScheduler } from './rescore-scheduler';

/** Fewest stored scores before shares are placed; below it each tier's `min` applies. */
export const MIN_SCORES_FOR_SHARES = 100;
const CHUNK = 1_000;

export interface TierCutoffsRefresh {
  versionId: string;
  lead: Record<string, number>;
  account: Record<string, number>;
  /** Scores found in the wrong tier and queued to be rescored. */
  requeued: { contacts: number; accounts: number };
}

function hasShares(tiers: readonly ShareTier[]): boolean {
  return tiers.some((t) => t.topShare !== undefined && t.topShare !== null);
}

/**
 * Keeps the tiers set by share of the workspace (`topShare`) where they belong as scores move:
 * places each cut-off on the active version's stored scores, stores it (scoring reads it with
 * the version), and queues every score that now sits in the wrong tier, so its tier, history
 * and events follow through the ordinary rescoring path.
 */
export class TierCutoffService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly schedule: RescoreScheduler,
  ) {}

  /** Null when the active version sets no tier by share. */
  async refresh(ws: WorkspaceId): Promise<TierCutoffsRefresh | null> {
    const version = await this.db.transaction(ws, (repos) => repos.models.findActive(ws));
    if (!version) return null;
    const model: ScoringModelDefinition = modelOf(version);
    const tiers: Record<ScoredEntity, readonly ShareTier[]> = {
      CONTACT: model.tiers,
      ACCOUNT: model.account.tiers,
    };
    if (!hasShares(tiers.CONTACT) && !hasShares(tiers.ACCOUNT)) return null;
    const { placed, off } = await this.db.transaction(ws, async (repos) => {
      const placed = {} as Record<
        ScoredEntity,
        { cutoffs: Record<string, number>; scored: number }
      >;
      const off = {} as Record<ScoredEntity, string[]>;
      for (const entity of ['CONTACT', 'ACCOUNT'] as const) {
        const result = hasShares(tiers[entity])
          ? await repos.tierCutoffs.place(ws, entity, version.id, tiers[entity])
          : { cutoffs: {}, scored: 0 };
        if (result.scored < MIN_SCORES_FOR_SHARES) result.cutoffs = {};
        placed[entity] = result;
        off[entity] = await repos.tierCutoffs.offTier(
          ws,
          entity,
          version.id,
          tiers[entity],
          result.cutoffs,
        );
      }
      await repos.tierCutoffs.save(ws, {
        modelVersionId: version.id,
        lead: placed.CONTACT.cutoffs,
        account: placed.ACCOUNT.cutoffs,
        leadScores: placed.CONTACT.scored,
        accountScores: placed.ACCOUNT.scored,
        computedAt: this.clock.now(),
      });
      for (const entity of ['CONTACT', 'ACCOUNT'] as const) {
        for (let i = 0; i < off[entity].length; i += CHUNK) {
          await repos.pending.mark(ws, entity, off[entity].slice(i, i + CHUNK));
        }
      }
      return { placed, off };
    });
    // Marked in the transaction: a job that cannot be queued now is found by the reconcile.
    for (let i = 0; i < off.CONTACT.length; i += CHUNK) {
      await this.schedule.contacts(ws, off.CONTACT.slice(i, i + CHUNK), 'TIER_CUTOFFS');
    }
    for (let i = 0; i < off.ACCOUNT.length; i += CHUNK) {
      await this.schedule.accounts(ws, off.ACCOUNT.slice(i, i + CHUNK), 'TIER_CUTOFFS');
    }
    return {
      versionId: version.id,
      lead: placed.CONTACT.cutoffs,
      account: placed.ACCOUNT.cutoffs,
      requeued: { contacts: off.CONTACT.length, accounts: off.ACCOUNT.length },
    };
  }

  /** Every workspace with an active version (the worker's schedule). */
  async refreshAll(): Promise<number> {
    let refreshed = 0;
    for (const workspaceId of await this.db.system.workspacesWithActiveModel()) {
      if (await this.refresh(trustedWorkspaceId(workspaceId))) refreshed++;
    }
    return refreshed;
  }
}
