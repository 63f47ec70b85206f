import type { Clock } from '@quorum/config';
import type { ScoreEvent } from '@quorum/events';
import type {
  AccountEntity,
  AccountScoreWrite,
  Database,
  QueryResults,
  Repositories,
  WorkspaceId,
} from '@quorum/persistence';
import {
  contactActivityWindows,
  scoreAccount,
  type AccountScore,
  type AccountContactHistory,
  type ScoringModelDefinition,
  type TierCutoffs,
} from '@quorum/scoring';
import { NotFoundError } from './errors';
import { rescoreAll } from './rescore-all';
import { accountFacts, activityFacts, modelOf, moved, tierCutoffsOf } from './lead-scoring.service';

export interface AccountRescoreResult {
  /** What to publish once the transaction has committed. */
  events: ScoreEvent[];
  accountId: string;
  previous: { total: number; tier: string } | null;
  score: AccountScore;
  changed: boolean;
}

/** Rolls the stored lead scores of an account up into its account and buying-group scores. */
export class AccountScoringService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** One account: see `rescoreAccounts`. Null when the account no longer exists. */
  async rescoreAccount(
    ws: WorkspaceId,
    accountId: string,
    cause: string,
  ): Promise<AccountRescoreResult | null> {
    const [result] = await this.rescoreAccounts(ws, [{ accountId, cause }]);
    return result ?? null;
  }

  /**
   * Rolls up a batch of accounts in one transaction, one statement per table. Idempotent:
   * the same state gives the same stored score, and history is appended only when the
   * total or tier moved. Concurrent roll-ups of an account serialise on its row; its
   * marker is deleted at the end only if nothing marked it again after the read.
   * Accounts that no longer exist are left out of the result.
   */
  rescoreAccounts(
    ws: WorkspaceId,
    requests: readonly { accountId: string; cause: string }[],
  ): Promise<AccountRescoreResult[]> {
    if (requests.length === 0) return Promise.resolve([]);
    const causes = new Map(requests.map((r) => [r.accountId, r.cause]));
    const ids = [...causes.keys()].sort();
    const now = this.clock.now();
    // One round trip opens the transaction, locks the accounts and reads every input.
    return this.db.derivedTransactionWith(
      ws,
      (repos) =>
        [
          repos.accounts.lockByIdsRead(ws, ids),
          repos.pending.markersRead(ws, 'ACCOUNT', ids),
          repos.models.activeRead(ws),
          repos.accountScores.storedTotalsRead(ws, ids),
          ...rollUpInputReads(repos, ws, ids, now),
        ] as const,
      async (repos, [accounts, markers, version, stored, ...inputs], commitWith) => {
        if (accounts.length === 0) {
          commitWith(repos.pending.claimQuery(ws, 'ACCOUNT', markers));
          return [];
        }
        if (!version) throw new NotFoundError('ActiveScoringModel', ws);
        const model = modelOf(version);
        // An account model reads every contact's activity: two more reads, for those versions only.
        const histories = model.account.predictive
          ? await contactHistories(repos, ws, inputs[0], inputs[2])
          : undefined;
        const scores = scoreAccounts(
          model,
          accounts,
          inputs,
          now,
          tierCutoffsOf(version, 'account'),
          histories,
        );
        const scored = accounts.map((account) => {
          const score = scores.get(account.id)!;
          const before = stored.get(account.id);
          const changed = moved(before, score, version.id);
          return { accountId: account.id, score, before, changed, cause: causes.get(account.id)! };
        });
        const historyIds = await repos.accountScores.store(
          ws,
          scored.map(({ accountId, score }) =>
            accountScoreWrite(accountId, version.id, score, now),
          ),
          scored
            .filter((s) => s.changed)
            .map(({ accountId, before, cause }) => ({
              accountId,
              oldTotal: before?.total ?? null,
              oldTier: before?.tier ?? null,
              cause,
              at: now,
            })),
        );
        await repos.accountScores.upsertBuyingGroupScores(
          ws,
          scored.flatMap(({ accountId, score }) =>
            score.buyingGroups.map((g) => ({
              buyingGroupId: g.id,
              accountId,
              engagement: g.engagement,
              completeness: g.completeness,
              engagedCompleteness: g.engagedCompleteness,
              missingRoles: g.missingRoles,
              engagedRoles: g.engagedRoles,
              members: g.members,
              computedAt: now,
            })),
          ),
        );
        commitWith(repos.pending.claimQuery(ws, 'ACCOUNT', markers));
        return scored.map(({ accountId, score, before, changed, cause }) => {
          const previous = before ? { total: before.total, tier: before.tier } : null;
          const events: ScoreEvent[] = changed
            ? [
                {
                  type: 'ACCOUNT_SCORE_CHANGED',
                  eventId: `account:${historyIds.get(accountId)!}`,
                  workspaceId: ws,
                  at: now.toISOString(),
                  cause,
                  modelVersionId: version.id,
                  accountId,
                  old: previous,
                  new: {
                    total: score.total,
                    tier: score.tier,
                    fit: score.fit,
                    engagement: score.engagement,
                  },
                  reasons: score.reasons,
                },
              ]
            : [];
          return { accountId, previous, score, changed, events };
        });
      },
    );
  }

  /** Rescores every account of a workspace in chunks, each account in its own transaction. */
  rescoreAllAccounts(
    ws: WorkspaceId,
    cause: string,
    chunkSize = 500,
  ): Promise<{ scored: number; changed: number }> {
    return rescoreAll(
      (after, limit) => this.db.repos.accountScores.accountIdsAfter(ws, after, limit),
      (id) => this.rescoreAccount(ws, id, cause),
      chunkSize,
    );
  }
}

function accountScoreWrite(
  accountId: string,
  modelVersionId: string,
  score: AccountScore,
  now: Date,
): AccountScoreWrite {
  return {
    accountId,
    modelVersionId,
    fit: score.fit,
    rollup: score.rollup,
    committee: score.committee,
    intent: score.intent,
    engagement: score.engagement,
    total: score.total,
    tier: score.tier,
    quadrant: score.quadrant,
    action: score.action,
    engagedContacts: score.signals.engagedContacts,
    coverage: score.signals.coverage,
    decisionMakerEngaged: score.signals.decisionMakerEngaged,
    surging: score.signals.velocity.surging,
    signals: score.signals as unknown as Record<string, unknown>,
    reasons: score.reasons,
    lastActivityAt: score.signals.lastActivityAt,
    computedAt: now,
  };
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** What a roll-up reads besides the accounts, their stored scores and the model. */
function rollUpInputReads(repos: Repositories, ws: WorkspaceId, ids: readonly string[], now: Date) {
  return [
    repos.leadScores.contactScoresOfAccountsRead(ws, ids),
    repos.buyingGroups.byAccountIdsRead(ws, ids),
    repos.buyingGroups.membersOfAccountsRead(ws, ids),
    repos.activities.accountLevelRead(ws, ids),
    repos.activities.contactActivityCountsRead(ws, ids, { now, ...contactActivityWindows(now) }),
  ] as const;
}

type RollUpInputs = QueryResults<ReturnType<typeof rollUpInputReads>>;

/** Each account's contacts with their names, buying roles and activity, for an account model. */
export async function contactHistories(
  repos: Repositories,
  ws: WorkspaceId,
  contactScores: RollUpInputs[0],
  members: RollUpInputs[2],
): Promise<Map<string, AccountContactHistory[]>> {
  const ids = [...new Set(contactScores.map((c) => c.contactId))];
  // One after another: they share the transaction's connection.
  const contacts = await repos.contacts.findByIds(ws, ids);
  const activities = await repos.activities.forContacts(ws, ids);
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const roles = groupBy(members, (m) => m.contactId);
  const out = new Map<string, AccountContactHistory[]>();
  for (const c of contactScores) {
    const contact = byId.get(c.contactId);
    if (!contact) continue;
    const list = out.get(c.accountId) ?? [];
    list.push({
      contactId: c.contactId,
      label: contactLabel(contact),
      roles: [...new Set((roles.get(c.contactId) ?? []).map((m) => m.role))],
      activities: (activities.get(c.contactId) ?? []).map(activityFacts),
    });
    out.set(c.accountId, list);
  }
  return out;
}

/** How reasons name a contact: first and last name, else the email. */
export function contactLabel(c: {
  firstName: string | null;
  lastName: string | null;
  email: string;
}): string {
  const name = [c.firstName, c.lastName].filter((p) => p && p.trim() !== '').join(' ');
  return name || c.email;
}

/** Scores accounts from their stored contacts' scores, groups and activity. */
function scoreAccounts(
  model: ScoringModelDefinition,
  accounts: readonly AccountEntity[],
  [contactScores, groups, members, accountActivities, activityCounts]: RollUpInputs,
  now: Date,
  tierCutoffs: TierCutoffs | undefined,
  histories?: ReadonlyMap<string, AccountContactHistory[]>,
): Map<string, AccountScore> {
  const contactsOf = groupBy(contactScores, (r) => r.accountId);
  const groupsOf = groupBy(groups, (g) => g.accountId);
  const membersOf = groupBy(members, (m) => m.buyingGroupId);
  const scores = new Map<string, AccountScore>();
  for (const account of accounts) {
    scores.set(
      account.id,
      scoreAccount(
        model,
        accountFacts(account)!,
        (contactsOf.get(account.id) ?? []).map((r) => ({
          contactId: r.contactId,
          total: r.total ?? 0,
          engagement: r.engagement ?? 0,
          lastActivityAt: r.lastActivityAt,
        })),
        (groupsOf.get(account.id) ?? []).map((g) => ({
          id: g.id,
          name: g.name,
          requiredRoles: g.requiredRoles,
          members: (membersOf.get(g.id) ?? []).map((m) => ({
            contactId: m.contactId,
            role: m.role,
          })),
        })),
        (accountActivities.get(account.id) ?? []).map(activityFacts),
        activityCounts.get(account.id)!,
        now,
        {
          tierCutoffs,
          contactHistories: histories ? (histories.get(account.id) ?? []) : undefined,
        },
      ),
    );
  }
  return scores;
}
