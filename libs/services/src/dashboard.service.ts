import type { Clock } from '@quorum/config';
import type { Database, TrendPoint, WorkspaceId } from '@quorum/persistence';
import type { TierBand } from '@quorum/scoring';
import { InputError, NotFoundError } from './errors';
import { isUuid } from './field-checks';

/** The usual service level: a sales-ready lead gets a response within the hour. */
export const RESPONSE_WINDOW_MINUTES = 60;

const MAX_TREND_BUCKETS = 400;

export interface WorkQueueEntry {
  kind: 'ACCOUNT' | 'CONTACT';
  accountId: string;
  contactId: string | null;
  total: number;
  tier: string;
  waitingSince: Date;
  waitingMinutes: number;
  overdue: boolean;
}

function limit(first: number, max: number, path = 'first'): number {
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw new InputError([{ path, message: `must be between 1 and ${max} (got ${first})` }]);
  }
  return first;
}

function topTier(tiers: TierBand[] | undefined): string {
  return [...(tiers ?? [])].sort((a, b) => b.min - a.min)[0]?.name ?? '';
}

/** The read models ABM dashboards and sales tools ask for. */
export class DashboardService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  tierDistribution(ws: WorkspaceId, entity: 'ACCOUNT' | 'CONTACT') {
    return this.db.repos.accountScores.tierDistribution(ws, entity);
  }

  async accountScoreTrend(
    ws: WorkspaceId,
    accountId: string,
    from: Date,
    to: Date,
    bucket: 'DAY' | 'WEEK',
  ): Promise<TrendPoint[]> {
    if (!isUuid(accountId)) throw new NotFoundError('Account', accountId, 'accountId');
    if (!(from < to)) throw new InputError([{ path: 'from', message: 'must be before `to`' }]);
    const buckets = (to.getTime() - from.getTime()) / 86_400_000 / (bucket === 'DAY' ? 1 : 7);
    if (buckets > MAX_TREND_BUCKETS) {
      throw new InputError([
        {
          path: 'to',
          message: `at most ${MAX_TREND_BUCKETS} buckets per trend (got ${Math.ceil(buckets)})`,
        },
      ]);
    }
    const [account] = await this.db.repos.accounts.findByIds(ws, [accountId]);
    if (!account) throw new NotFoundError('Account', accountId, 'accountId');
    return this.db.repos.accountScores.trend(
      ws,
      accountId,
      from,
      to,
      bucket === 'DAY' ? 'day' : 'week',
    );
  }

  scoreMovers(ws: WorkspaceId, since: Date, direction: 'UP' | 'DOWN', first: number) {
    return this.db.repos.accountScores.movers(ws, since, direction, limit(first, 200));
  }

  /** The owner's top-tier accounts and leads, overdue first, then highest score. */
  async workQueue(ws: WorkspaceId, ownerId: string, first: number): Promise<WorkQueueEntry[]> {
    const version = await this.db.repos.models.findActive(ws);
    if (!version) throw new NotFoundError('ActiveScoringModel', ws);
    const definition = version.definition as {
      tiers?: TierBand[];
      account?: { tiers?: TierBand[] };
    };
    const now = this.clock.now().getTime();
    const rows = await this.db.repos.accountScores.workQueue(
      ws,
      ownerId,
      topTier(definition.account?.tiers),
      topTier(definition.tiers),
      limit(first, 200),
    );
    return rows
      .map((r) => {
        const waitingMinutes = Math.max(0, Math.floor((now - r.tierSince.getTime()) / 60_000));
        return {
          ...r,
          waitingSince: r.tierSince,
          waitingMinutes,
          overdue: waitingMinutes > RESPONSE_WINDOW_MINUTES,
        };
      })
      .sort(
        (a, b) =>
          Number(b.overdue) - Number(a.overdue) ||
          b.total - a.total ||
          a.accountId.localeCompare(b.accountId),
      )
      .slice(0, first);
  }
}
