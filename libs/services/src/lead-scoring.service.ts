import type { Clock } from '@quorum/config';
import type { ScoreEvent } from '@quorum/events';
import type {
  AccountEntity,
  ActivityEntity,
  ContactEntity,
  Database,
  LeadScoreEntity,
  Repositories,
  ScopedRepositories,
  ScoringModelVersionEntity,
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
} from '@quorum/scoring';
import { NotFoundError } from './errors';
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
  transition: LifecycleTransition | null;
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

export function activityFacts(a: ActivityEntity): ActivityFacts {
  return {
    id: a.id,
    type: a.type as ActivityType,
    occurredAt: a.occurredAt,
    properties: a.properties,
  };
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
    );
  }

  /**
   * Idempotent: scoring the same state twice stores the same score and appends history
   * only when the total or tier moved. Concurrent rescores of one contact serialise on
   * the contact row; the pending marker is claimed first, so an activity committed after
   * this read marks the contact again and is never missed.
   */
  async rescoreContact(
    ws: WorkspaceId,
    contactId: string,
    cause: string,
  ): Promise<RescoreResult | null> {
    return this.db.transaction(ws, async (repos) => {
      const rows = await repos.manager.query(
        'SELECT id FROM contacts WHERE workspace_id = $1 AND id = $2 FOR NO KEY UPDATE',
        [ws, contactId],
      );
      await repos.pending.claim(ws, 'CONTACT', contactId);
      if (rows.length === 0) return null;
      const version = await repos.models.findActive(ws);
      if (!version) throw new NotFoundError('ActiveScoringModel', ws);
      const [contact] = await repos.contacts.findByIds(ws, [contactId]);
      return this.rescoreLocked(repos, ws, contact!, version, cause);
    });
  }

  private async rescoreLocked(
    repos: Repositories,
    ws: WorkspaceId,
    contact: ContactEntity,
    version: ScoringModelVersionEntity,
    cause: string,
  ): Promise<RescoreResult> {
    const now = this.clock.now();
    const at = now.toISOString();
    const score = await this.computeScore(repos, ws, contact, version, now);
    const [stored] = await repos.leadScores.findByContactIds(ws, [contact.id]);
    const previous = stored ? { total: stored.total, tier: stored.tier } : null;
    const changed =
      !stored ||
      stored.total !== score.total ||
      stored.tier !== score.tier ||
      stored.modelVersionId !== version.id;
    const events: ScoreEvent[] = [];
    if (!stored || changed || !sameScore(stored, score)) {
      await repos.leadScores.upsert(ws, {
        contactId: contact.id,
        modelVersionId: version.id,
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
      });
    }
    if (changed) {
      const historyId = await repos.leadScores.insertHistory(ws, {
        contactId: contact.id,
        modelVersionId: version.id,
        oldTotal: previous?.total ?? null,
        newTotal: score.total,
        oldTier: previous?.tier ?? null,
        newTier: score.tier,
        cause,
        at: now,
        reasons: score.reasons,
      });
      // The account roll-up reads this score: mark it stale in the same transaction.
      if (contact.accountId) await repos.pending.mark(ws, 'ACCOUNT', [contact.accountId]);
      events.push({
        type: 'LEAD_SCORE_CHANGED',
        eventId: `lead:${historyId}`,
        workspaceId: ws,
        at,
        cause,
        modelVersionId: version.id,
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
      });
    }
    const step = nextLifecycle(
      modelOf(version),
      { stage: contact.lifecycleStage as LifecycleStage, belowMqlSince: contact.belowMqlSince },
      score.total,
      now,
    );
    if (
      step.state.stage !== contact.lifecycleStage ||
      step.state.belowMqlSince?.getTime() !== contact.belowMqlSince?.getTime()
    ) {
      await repos.leadScores.setLifecycle(
        ws,
        contact.id,
        step.state.stage,
        step.state.belowMqlSince,
      );
    }
    if (step.transition) {
      const eventId = await repos.leadScores.insertLifecycleEvent(ws, {
        contactId: contact.id,
        fromStage: step.transition.from,
        toStage: step.transition.to,
        reactivated: step.transition.reactivated,
        modelVersionId: version.id,
        total: score.total,
        at: now,
        cause,
      });
      events.push({
        type: 'LIFECYCLE_STAGE_CHANGED',
        eventId: `lifecycle:${eventId}`,
        workspaceId: ws,
        at,
        cause,
        modelVersionId: version.id,
        contactId: contact.id,
        from: step.transition.from,
        to: step.transition.to,
        reactivated: step.transition.reactivated,
        total: score.total,
      });
    }
    return {
      contactId: contact.id,
      accountId: contact.accountId,
      previous,
      score,
      changed,
      transition: step.transition,
      events,
    };
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

  async contactIdsOfAccount(ws: WorkspaceId, accountId: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>(
      ws,
      'SELECT id FROM contacts WHERE workspace_id = $1 AND account_id = $2 ORDER BY id',
      [ws, accountId],
    );
    return rows.map((r) => r.id);
  }

  /** A backtest of one lead: its score from the activities up to `at`, scored as of `at`. */
  async scoreAsOf(
    ws: WorkspaceId,
    contactId: string,
    at: Date,
    versionId?: string,
  ): Promise<{ score: LeadScore; version: ScoringModelVersionEntity } | null> {
    const repos = this.db.repos;
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

function sameScore(stored: LeadScoreEntity, score: LeadScore): boolean {
  return (
    stored.fit === score.fit &&
    stored.engagement === score.engagement &&
    stored.negative === score.negative &&
    stored.grade === score.grade &&
    stored.quadrant === score.quadrant &&
    JSON.stringify(stored.reasons) === JSON.stringify(score.reasons) &&
    (stored.lastActivityAt?.getTime() ?? null) === (score.lastActivityAt?.getTime() ?? null)
  );
}
