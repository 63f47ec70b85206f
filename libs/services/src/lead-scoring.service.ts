import type { Clock } from '@quorum/config';
import type { ScoreEvent } from '@quorum/events';
import type {
  AccountEntity,
  ScoredActivity,
  ContactEntity,
  Database,
  LeadScoreWrite,
  ScopedRepositories,
  StoredTotal,
  ScoringModelVersionEntity,
  ActiveVersion,
  WorkspaceId,
} from '@quorum/persistence';
import {
  nextLifecycle,
  scoreLead,
  type AccountFacts,
  type ActivityFacts,
  type ActivityType,
  type ContactFacts,
  type LeadScore,
  type LifecycleStage,
  type LifecycleTransition,
  type ScoringModelDefinition,
  type TierCutoffs,
} from '@quorum/scoring';
import { NotFoundError } from './errors';
import { isUuid } from './field-checks';
import { rescoreAll } from './rescore-all';

export interface RescoreResult {
  /** What to publish once the transaction has committed. */
  events: ScoreEvent[];
  contactId: string;
  accountId: string | null;
  previous: { total: number; tier: string } | null;
  score: LeadScore;
  /** True when the total or tier moved (and history was appended). */
  changed: boolean;
  /**
   * True when the contact had a pending marker (something about it changed, e.g. new
   * activity): its account's roll-up is due even if the lead score did not move.
   */
  marked: boolean;
  transition: LifecycleTransition | null;
}

export interface ContactRescore {
  contactId: string;
  cause: string;
  /**
   * Skip the contact if it has no pending marker: the rescore that claimed the marker read
   * every write that marked it (the write that queued this request included).
   */
  onlyIfMarked?: boolean;
}

export function contactFacts(c: ContactEntity): ContactFacts {
  return {
    email: c.email,
    title: c.title,
    seniority: c.seniority,
    department: c.department,
    country: c.country,
    attributes: c.attributes,
  };
}

export function accountFacts(a: AccountEntity | null | undefined): AccountFacts | null {
  if (!a) return null;
  return {
    domain: a.domain,
    industry: a.industry,
    employeeCount: a.employeeCount,
    annualRevenue: a.annualRevenue,
    country: a.country,
    region: a.region,
    technologies: a.technologies,
    attributes: a.attributes,
  };
}

export function activityFacts(a: ScoredActivity): ActivityFacts {
  return {
    id: a.id,
    type: a.type as ActivityType,
    occurredAt: a.occurredAt,
    properties: a.properties,
  };
}

/**
 * Whether a new score moved from the stored one in what history and events record: its
 * total, its tier or its model version (a first score always has).
 */
export function moved(
  before: StoredTotal | undefined,
  score: { total: number; tier: string },
  modelVersionId: string,
): boolean {
  return (
    !before ||
    before.total !== score.total ||
    before.tier !== score.tier ||
    before.modelVersionId !== modelVersionId
  );
}

/**
 * The kept cut-offs of a version's tiers set by share, when it is the active version read with
 * them (`activeRead`); otherwise none, and each tier's `min` applies.
 */
export function tierCutoffsOf(
  version: ScoringModelVersionEntity | ActiveVersion,
  entity: 'lead' | 'account',
): TierCutoffs | undefined {
  const cutoffs = 'tierCutoffs' in version ? version.tierCutoffs : null;
  return cutoffs ? new Map(Object.entries(cutoffs[entity])) : undefined;
}

const publishedModels = new Map<string, ScoringModelDefinition>();
const PUBLISHED_MODEL_CACHE_SIZE = 256;

/**
 * The definition of a version. Published versions are immutable, so one object per
 * version is kept: the engine compiles a model once per object (≈200 µs), not per contact.
 */
export function modelOf(
  version: Pick<ScoringModelVersionEntity, 'id' | 'status' | 'definition'>,
): ScoringModelDefinition {
  if (version.status !== 'PUBLISHED')
    return version.definition as unknown as ScoringModelDefinition;
  let model = publishedModels.get(version.id);
  if (!model) {
    model = version.definition as unknown as ScoringModelDefinition;
    if (publishedModels.size >= PUBLISHED_MODEL_CACHE_SIZE)
      publishedModels.delete(publishedModels.keys().next().value!);
    publishedModels.set(version.id, model);
  }
  return model;
}

/** Reads a contact's current state, scores it with the engine and stores the result. */
export class LeadScoringService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** Scores one contact under a version without storing anything. */
  async computeScore(
    repos: ScopedRepositories,
    ws: WorkspaceId,
    contact: ContactEntity,
    version: ScoringModelVersionEntity,
    now: Date,
    until?: Date,
  ): Promise<LeadScore> {
    const [account] = contact.accountId
      ? await repos.accounts.findByIds(ws, [contact.accountId])
      : [];
    const activities = await repos.activities.forContact(ws, contact.id, until);
    return scoreLead(
      modelOf(version),
      contactFacts(contact),
      accountFacts(account),
      activities.map(activityFacts),
      now,
      tierCutoffsOf(version, 'lead'),
    );
  }

  /** One contact: see `rescoreContacts`. Null when the contact no longer exists. */
  async rescoreContact(
    ws: WorkspaceId,
    contactId: string,
    cause: string,
  ): Promise<RescoreResult | null> {
    const [result] = await this.rescoreContacts(ws, [{ contactId, cause }]);
    return result ?? null;
  }

  /**
   * Rescores a batch of contacts in one transaction with one statement per table, so a
   * batch costs about what one contact does. Idempotent: scoring the same state twice
   * stores the same score and appends history only when the total or tier moved.
   * Concurrent rescores of a contact serialise on its row. Its pending marker is deleted
   * at the end only if no write marked it again meanwhile, so an activity committed after
   * the read keeps its marker and is never missed; ingest never waits for a rescore.
   * Contacts that no longer exist, or were skipped (`onlyIfMarked`), are left out of the
   * result.
   */
  async rescoreContacts(
    ws: WorkspaceId,
    requests: readonly ContactRescore[],
  ): Promise<RescoreResult[]> {
    if (requests.length === 0) return [];
    const causes = new Map(requests.map((r) => [r.contactId, r.cause]));
    // A contact is skipped only if every request for it allows that.
    const skippable = new Set(requests.filter((r) => r.onlyIfMarked).map((r) => r.contactId));
    for (const r of requests) if (!r.onlyIfMarked) skippable.delete(r.contactId);
    const ids = [...causes.keys()].sort();
    // Skippable contacts are read only if marked: a batch mostly claimed already reads little.
    const always = ids.filter((id) => !skippable.has(id));
    const ifMarked = ids.filter((id) => skippable.has(id));
    // One round trip opens the transaction, locks the contacts and reads every input.
    return this.db.derivedTransactionWith(
      ws,
      (repos) =>
        [
          repos.contacts.lockByIdsRead(ws, ids),
          repos.pending.markersRead(ws, 'CONTACT', ids),
          repos.models.activeRead(ws),
          repos.accounts.ofContactsRead(ws, always, ifMarked),
          repos.activities.forContactsRead(ws, always, ifMarked),
          repos.leadScores.storedTotalsRead(ws, always, ifMarked),
        ] as const,
      async (repos, [locked, markers, version, accountRows, activities, stored], commitWith) => {
        const contacts = locked.filter((c) => markers.has(c.id) || !skippable.has(c.id));
        if (contacts.length === 0) {
          commitWith(repos.pending.claimQuery(ws, 'CONTACT', markers));
          return [];
        }
        if (!version) throw new NotFoundError('ActiveScoringModel', ws);
        const model = modelOf(version);
        const cutoffs = tierCutoffsOf(version, 'lead');
        const accounts = new Map(accountRows.map((a) => [a.id, a]));
        const now = this.clock.now();
        const scored = contacts.map((contact) => {
          const score = scoreLead(
            model,
            contactFacts(contact),
            accountFacts(contact.accountId ? accounts.get(contact.accountId) : null),
            (activities.get(contact.id) ?? []).map(activityFacts),
            now,
            cutoffs,
          );
          const before = stored.get(contact.id);
          const changed = moved(before, score, version.id);
          return { contact, score, before, changed, cause: causes.get(contact.id)! };
        });
        const historyIds = await repos.leadScores.store(
          ws,
          scored.map(({ contact, score }) => leadScoreWrite(contact.id, version.id, score, now)),
          scored
            .filter((s) => s.changed)
            .map(({ contact, before, cause }) => ({
              contactId: contact.id,
              oldTotal: before?.total ?? null,
              oldTier: before?.tier ?? null,
              cause,
              at: now,
            })),
        );
        // Sent with the COMMIT. Markers before accounts, the order every writer takes them
        // in (no deadlock). The account roll-up reads these scores and the contacts'
        // activity: it is marked stale in the same transaction, for every contact that moved
        // or had a marker.
        commitWith(
          repos.pending.claimQuery(ws, 'CONTACT', markers),
          repos.pending.markQuery(
            ws,
            'ACCOUNT',
            scored.flatMap((s) =>
              s.contact.accountId && (s.changed || markers.has(s.contact.id))
                ? [s.contact.accountId]
                : [],
            ),
          ),
        );
        const steps = scored.map(({ contact, score }) => ({
          contact,
          step: nextLifecycle(
            model,
            {
              stage: contact.lifecycleStage as LifecycleStage,
              belowMqlSince: contact.belowMqlSince,
            },
            score.total,
            now,
            score.engagement,
          ),
        }));
        await repos.leadScores.setLifecycles(
          ws,
          steps
            .filter(
              ({ contact, step }) =>
                step.state.stage !== contact.lifecycleStage ||
                step.state.belowMqlSince?.getTime() !== contact.belowMqlSince?.getTime(),
            )
            .map(({ contact, step }) => ({
              contactId: contact.id,
              stage: step.state.stage,
              belowMqlSince: step.state.belowMqlSince,
            })),
        );
        const lifecycleIds = await repos.leadScores.insertLifecycleEvents(
          ws,
          scored.flatMap(({ contact, score, cause }, i) => {
            const transition = steps[i]!.step.transition;
            return transition
              ? [
                  {
                    contactId: contact.id,
                    fromStage: transition.from,
                    toStage: transition.to,
                    reactivated: transition.reactivated,
                    modelVersionId: version.id,
                    total: score.total,
                    at: now,
                    cause,
                  },
                ]
              : [];
          }),
        );
        return scored.map(({ contact, score, before, changed: moved, cause }, i) => {
          const previous = before ? { total: before.total, tier: before.tier } : null;
          const transition = steps[i]!.step.transition;
          const events: ScoreEvent[] = [];
          if (moved)
            events.push(
              leadScoreChangedEvent(
                ws,
                contact,
                version.id,
                previous,
                score,
                cause,
                now,
                historyIds,
              ),
            );
          if (transition)
            events.push({
              type: 'LIFECYCLE_STAGE_CHANGED',
              eventId: `lifecycle:${lifecycleIds.get(contact.id)!}`,
              workspaceId: ws,
              at: now.toISOString(),
              cause,
              modelVersionId: version.id,
              contactId: contact.id,
              from: transition.from,
              to: transition.to,
              reactivated: transition.reactivated,
              total: score.total,
            });
          return {
            contactId: contact.id,
            accountId: contact.accountId,
            previous,
            score,
            changed: moved,
            marked: markers.has(contact.id),
            transition,
            events,
          };
        });
      },
    );
  }

  /**
   * Rescores every contact of a workspace in chunks (bounded memory), each chunk in its
   * own transaction. Returns how many were scored and how many changed.
   */
  rescoreWorkspace(
    ws: WorkspaceId,
    cause: string,
    chunkSize = 500,
  ): Promise<{ scored: number; changed: number }> {
    return rescoreAll(
      (after, limit) => this.db.repos.leadScores.contactIdsAfter(ws, after, limit),
      (id) => this.rescoreContact(ws, id, cause),
      chunkSize,
    );
  }

  /** The contacts of these accounts, in id order. */
  async contactsOfAccounts(
    ws: WorkspaceId,
    accountIds: readonly string[],
  ): Promise<{ contactId: string; accountId: string }[]> {
    const rows = await this.db.query<{ id: string; account_id: string }[]>(
      ws,
      'SELECT id, account_id FROM contacts WHERE workspace_id = $1 AND account_id = ANY($2::uuid[]) ORDER BY id',
      [ws, accountIds],
    );
    return rows.map((r) => ({ contactId: r.id, accountId: r.account_id }));
  }

  /** A backtest of one lead: its score from the activities up to `at`, scored as of `at`. */
  async scoreAsOf(
    ws: WorkspaceId,
    contactId: string,
    at: Date,
    versionId?: string,
  ): Promise<{ score: LeadScore; version: ScoringModelVersionEntity } | null> {
    const repos = this.db.repos;
    if (versionId != null && !isUuid(versionId))
      throw new NotFoundError('ScoringModelVersion', versionId, 'versionId');
    const [contact] = await repos.contacts.findByIds(ws, [contactId]);
    if (!contact) return null;
    const version = versionId
      ? (await repos.models.findByIds(ws, [versionId]))[0]
      : await repos.models.findActive(ws);
    if (!version)
      throw new NotFoundError('ScoringModelVersion', versionId ?? 'active', 'versionId');
    return { score: await this.computeScore(repos, ws, contact, version, at, at), version };
  }
}

function leadScoreWrite(
  contactId: string,
  modelVersionId: string,
  score: LeadScore,
  now: Date,
): LeadScoreWrite {
  return {
    contactId,
    modelVersionId,
    fit: score.fit,
    engagement: score.engagement,
    negative: score.negative,
    total: score.total,
    tier: score.tier,
    grade: score.grade,
    quadrant: score.quadrant,
    action: score.action,
    override: score.override
      ? { ...score.override, activityAt: score.override.activityAt.toISOString() }
      : null,
    reasons: score.reasons,
    lastActivityAt: score.lastActivityAt,
    computedAt: now,
  };
}

function leadScoreChangedEvent(
  ws: WorkspaceId,
  contact: ContactEntity,
  modelVersionId: string,
  previous: { total: number; tier: string } | null,
  score: LeadScore,
  cause: string,
  now: Date,
  historyIds: Map<string, string>,
): ScoreEvent {
  return {
    type: 'LEAD_SCORE_CHANGED',
    eventId: `lead:${historyIds.get(contact.id)!}`,
    workspaceId: ws,
    at: now.toISOString(),
    cause,
    modelVersionId,
    contactId: contact.id,
    accountId: contact.accountId,
    old: previous,
    new: {
      total: score.total,
      tier: score.tier,
      fit: score.fit,
      engagement: score.engagement,
      negative: score.negative,
    },
    reasons: score.reasons,
  };
}
