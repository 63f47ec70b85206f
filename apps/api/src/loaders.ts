import type {
  AccountEntity,
  AccountScoreEntity,
  BuyingGroupScoreEntity,
  ActivityEntity,
  BuyingGroupEntity,
  BuyingGroupMemberEntity,
  ContactEntity,
  Database,
  LeadScoreEntity,
  WorkspaceId,
} from '@quorum/persistence';
import type { SuggestionCandidate } from '@quorum/services';
import DataLoader from 'dataloader';

export interface SliceKey {
  parentId: string;
  first: number;
}

const sliceKey = (k: SliceKey) => `${k.parentId}:${k.first}`;

function byId<T extends { id: string }>(rows: T[], ids: readonly string[]): (T | null)[] {
  const map = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => map.get(id) ?? null);
}

function groupBy<T>(rows: T[], key: (row: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    if (k === null) continue;
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/**
 * Loads the first N children of many parents in one statement per distinct N, so a
 * page of 100 parents costs the same number of statements as a page of 10.
 */
function sliceLoader<T>(
  load: (parentIds: string[], first: number) => Promise<T[]>,
  parentOf: (row: T) => string | null,
) {
  return new DataLoader<SliceKey, T[], string>(
    async (keys) => {
      const byFirst = groupBy([...keys], (k) => String(k.first));
      const results = new Map<string, T[]>();
      for (const [first, group] of byFirst) {
        const rows = await load([...new Set(group.map((k) => k.parentId))], Number(first));
        const grouped = groupBy(rows, parentOf);
        for (const k of group) results.set(sliceKey(k), grouped.get(k.parentId) ?? []);
      }
      return keys.map((k) => results.get(sliceKey(k)) ?? []);
    },
    { cacheKeyFn: sliceKey },
  );
}

function countLoader(count: (ids: string[]) => Promise<Map<string, number>>) {
  return new DataLoader<string, number>(async (ids) => {
    const counts = await count([...ids]);
    return ids.map((id) => counts.get(id) ?? 0);
  });
}

/** Built fresh for every operation: nothing cached outlives one request. */
export function createLoaders(db: Database, ws: WorkspaceId) {
  const r = db.repos;
  return {
    account: new DataLoader<string, AccountEntity | null>(async (ids) =>
      byId(await r.accounts.findByIds(ws, ids), ids),
    ),
    contact: new DataLoader<string, ContactEntity | null>(async (ids) =>
      byId(await r.contacts.findByIds(ws, ids), ids),
    ),
    buyingGroup: new DataLoader<string, BuyingGroupEntity | null>(async (ids) =>
      byId(await r.buyingGroups.findByIds(ws, ids), ids),
    ),
    contactsOfAccount: sliceLoader<ContactEntity>(
      (ids, first) => r.contacts.firstByAccountIds(ws, ids, first),
      (c) => c.accountId,
    ),
    contactCountOfAccount: countLoader((ids) => r.contacts.countByAccountIds(ws, ids)),
    buyingGroupsOfAccount: new DataLoader<string, BuyingGroupEntity[]>(async (ids) => {
      const grouped = groupBy(await r.buyingGroups.findByAccountIds(ws, ids), (g) => g.accountId);
      return ids.map((id) => grouped.get(id) ?? []);
    }),
    membersOfBuyingGroup: new DataLoader<string, BuyingGroupMemberEntity[]>(async (ids) => {
      const grouped = groupBy(await r.buyingGroups.membersOf(ws, ids), (m) => m.buyingGroupId);
      return ids.map((id) => grouped.get(id) ?? []);
    }),
    activitiesOfContact: sliceLoader<ActivityEntity>(
      (ids, first) => r.activities.newestByContactIds(ws, ids, first),
      (a) => a.contactId,
    ),
    activityCountOfContact: countLoader((ids) => r.activities.countByContactIds(ws, ids)),
    accountScore: new DataLoader<string, AccountScoreEntity | null>(async (ids) => {
      const scores = new Map(
        (await r.accountScores.findByAccountIds(ws, ids)).map((s) => [s.accountId, s]),
      );
      return ids.map((id) => scores.get(id) ?? null);
    }),
    buyingGroupScore: new DataLoader<string, BuyingGroupScoreEntity | null>(async (ids) => {
      const scores = new Map(
        (await r.accountScores.buyingGroupScores(ws, ids)).map((s) => [s.buyingGroupId, s]),
      );
      return ids.map((id) => scores.get(id) ?? null);
    }),
    suggestionCandidates: new DataLoader<string, SuggestionCandidate[]>(async (ids) => {
      const grouped = groupBy(await r.accountScores.nonMembersOfGroups(ws, ids), (c) => c.groupId);
      return ids.map((id) => grouped.get(id) ?? []);
    }),
    leadScoreOfContact: new DataLoader<string, LeadScoreEntity | null>(async (ids) => {
      const scores = new Map(
        (await r.leadScores.findByContactIds(ws, ids)).map((s) => [s.contactId, s]),
      );
      return ids.map((id) => scores.get(id) ?? null);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
