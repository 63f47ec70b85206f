import { randomUUID } from 'node:crypto';
import type { Clock } from '@quorum/config';
import type {
  Database,
  Page,
  PageRequest,
  Repositories,
  ScoringModelAuditEntity,
  ScoringModelVersionEntity,
  WorkspaceId,
} from '@quorum/persistence';
import {
  defaultModelDefinition,
  validateModelDefinition,
  type AccountScore,
  type LeadScore,
  type ScoringModelDefinition,
  type TierBand,
} from '@quorum/scoring';
import { InputError, NotFoundError } from './errors';
import { isUuid } from './field-checks';
import { currentAccountPoints, rulesAccountScore } from './account-training-set';
import { type LeadScoringService } from './lead-scoring.service';

export interface PreviewRow {
  contactId: string;
  active: LeadScore;
  draft: LeadScore;
}

export interface AccountPreviewRow {
  accountId: string;
  active: AccountScore;
  draft: AccountScore;
}

export interface AccountScoringPreview {
  rows: AccountPreviewRow[];
  movedUp: number;
  movedDown: number;
  unchanged: number;
}

export interface ScoringModelPreview {
  rows: PreviewRow[];
  movedUp: number;
  movedDown: number;
  unchanged: number;
}

/** Schedules the backfill (full rescore) that a publish or rollback created. */
export type WorkspaceRescoreScheduler = (ws: WorkspaceId, backfillId: string) => Promise<void>;

/** Where a tier starts now (see `tierPlacements`). */
export interface TierPlacement {
  entity: 'CONTACT' | 'ACCOUNT';
  tier: string;
  min: number;
  topShare: number | null;
  /** True when a kept cut-off places it; false when its `min` applies. */
  placed: boolean;
  /** Scores the cut-offs were placed on. */
  scores: number;
  computedAt: Date | null;
}

export class ScoringModelService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly scoring: LeadScoringService,
    private readonly scheduleRescore: WorkspaceRescoreScheduler,
  ) {}

  /**
   * Where each tier of a version starts now: a tier set by share at the cut-off the
   * workspace's scores place it at (`placed`), any other tier at its `min`.
   */
  async tierPlacements(ws: WorkspaceId, versionId: string): Promise<TierPlacement[]> {
    const [version] = isUuid(versionId)
      ? await this.db.repos.models.findByIds(ws, [versionId])
      : [];
    if (!version) throw new NotFoundError('ScoringModelVersion', versionId, 'versionId');
    const kept = await this.db.transaction(ws, (repos) => repos.tierCutoffs.find(ws, versionId));
    const model = version.definition as unknown as ScoringModelDefinition;
    const place = (
      entity: 'CONTACT' | 'ACCOUNT',
      tiers: readonly TierBand[],
      cutoffs: Record<string, number>,
      scores: number,
    ) =>
      tiers.map((tier) => ({
        entity,
        tier: tier.name,
        min: cutoffs[tier.name] ?? tier.min,
        topShare: tier.topShare ?? null,
        placed: tier.name in cutoffs,
        scores,
        computedAt: kept?.computedAt ?? null,
      }));
    return [
      ...place('CONTACT', model.tiers, kept?.lead ?? {}, kept?.leadScores ?? 0),
      ...place('ACCOUNT', model.account.tiers, kept?.account ?? {}, kept?.accountScores ?? 0),
    ];
  }

  /** Every new workspace starts with the default B2B model, published and active. */
  async installDefaultModel(ws: WorkspaceId, repos: Repositories): Promise<void> {
    const version = await repos.models.insert(ws, {
      id: randomUUID(),
      status: 'DRAFT',
      description: 'Default B2B model',
      definition: defaultModelDefinition() as unknown as Record<string, unknown>,
      basedOnId: null,
    });
    const now = this.clock.now();
    await repos.models.activate(ws, version.id, now);
    await repos.models.insertAudit(ws, {
      action: 'PUBLISH',
      fromVersionId: null,
      toVersionId: version.id,
      actorKeyId: null,
      at: now,
    });
  }

  async active(ws: WorkspaceId): Promise<ScoringModelVersionEntity> {
    const version = await this.db.repos.models.findActive(ws);
    if (!version) throw new NotFoundError('ActiveScoringModel', ws);
    return version;
  }

  list(ws: WorkspaceId): Promise<ScoringModelVersionEntity[]> {
    return this.db.repos.models.list(ws);
  }

  async find(ws: WorkspaceId, id: string): Promise<ScoringModelVersionEntity | null> {
    if (!isUuid(id)) return null;
    return (await this.db.repos.models.findByIds(ws, [id]))[0] ?? null;
  }

  private async require(
    ws: WorkspaceId,
    id: string,
    path: string,
  ): Promise<ScoringModelVersionEntity> {
    const version = await this.find(ws, id);
    if (!version) throw new NotFoundError('ScoringModelVersion', id, path);
    return version;
  }

  private validated(definition: unknown): Record<string, unknown> {
    const result = validateModelDefinition(definition);
    if (!result.ok) {
      throw new InputError(
        result.issues.map((i) => ({ path: `definition.${i.path}`, message: i.message })),
      );
    }
    return result.model as unknown as Record<string, unknown>;
  }

  /** A new draft: the given definition, or a copy of `basedOn` (default: the active version). */
  async createDraft(
    ws: WorkspaceId,
    input: { definition?: unknown; basedOnId?: string | null; description?: string | null },
  ): Promise<ScoringModelVersionEntity> {
    const basedOn = input.basedOnId
      ? await this.require(ws, input.basedOnId, 'basedOnId')
      : await this.active(ws);
    const definition = this.validated(input.definition ?? basedOn.definition);
    return this.db.repos.models.insert(ws, {
      id: randomUUID(),
      status: 'DRAFT',
      description: input.description?.slice(0, 200) ?? null,
      definition,
      basedOnId: basedOn.id,
    });
  }

  async updateDraft(
    ws: WorkspaceId,
    id: string,
    input: { definition: unknown; description?: string | null },
  ): Promise<ScoringModelVersionEntity> {
    const version = await this.require(ws, id, 'versionId');
    if (version.status !== 'DRAFT') {
      throw new InputError([
        {
          path: 'versionId',
          message: `version ${version.version} is published and immutable; create a draft from it`,
        },
      ]);
    }
    const updated = await this.db.repos.models.updateDraft(
      ws,
      id,
      this.validated(input.definition),
      input.description?.slice(0, 200),
    );
    if (!updated) throw new InputError([{ path: 'versionId', message: 'was published meanwhile' }]);
    return updated;
  }

  /** Publishes a draft and makes it the active version; audited; triggers a rescore. */
  publish(
    ws: WorkspaceId,
    id: string,
    actorKeyId: string | null,
  ): Promise<ScoringModelVersionEntity> {
    return this.switchActive(ws, id, actorKeyId, 'PUBLISH');
  }

  /** Re-activates an earlier published version; audited; triggers a rescore. */
  rollback(
    ws: WorkspaceId,
    toVersionId: string,
    actorKeyId: string | null,
  ): Promise<ScoringModelVersionEntity> {
    return this.switchActive(ws, toVersionId, actorKeyId, 'ROLLBACK');
  }

  private async switchActive(
    ws: WorkspaceId,
    id: string,
    actorKeyId: string | null,
    action: 'PUBLISH' | 'ROLLBACK',
  ): Promise<ScoringModelVersionEntity> {
    const path = action === 'PUBLISH' ? 'versionId' : 'toVersionId';
    const switched = await this.db.transaction(ws, async (repos) => {
      const current = await repos.models.findActive(ws, true);
      const [target] = isUuid(id) ? await repos.models.findByIds(ws, [id]) : [];
      if (!target) throw new NotFoundError('ScoringModelVersion', id, path);
      if (action === 'PUBLISH' && target.status !== 'DRAFT') {
        throw new InputError([
          {
            path,
            message: `version ${target.version} is already published; use rollbackScoringModel to re-activate it`,
          },
        ]);
      }
      if (action === 'ROLLBACK' && target.status !== 'PUBLISHED') {
        throw new InputError([
          { path, message: `version ${target.version} is a draft; publish it instead` },
        ]);
      }
      if (current?.id === target.id) {
        throw new InputError([{ path, message: `version ${target.version} is already active` }]);
      }
      const now = this.clock.now();
      await repos.models.activate(ws, target.id, now);
      await repos.models.insertAudit(ws, {
        action,
        fromVersionId: current?.id ?? null,
        toVersionId: target.id,
        actorKeyId,
        at: now,
      });
      await repos.audit.record(ws, {
        action: action === 'PUBLISH' ? 'MODEL_PUBLISHED' : 'MODEL_ROLLED_BACK',
        actorKeyId,
        targetType: 'SCORING_MODEL_VERSION',
        targetId: target.id,
        details: { version: target.version, fromVersionId: current?.id ?? null },
        at: now,
      });
      // The backfill row is the durable request for the full rescore; the job is its fast path.
      const backfill = await repos.pending.insertBackfill(ws, {
        id: randomUUID(),
        cause: action === 'PUBLISH' ? 'MODEL_PUBLISHED' : 'MODEL_ROLLED_BACK',
        modelVersionId: target.id,
      });
      return {
        version: (await repos.models.findByIds(ws, [target.id]))[0]!,
        backfillId: backfill.id,
      };
    });
    await this.scheduleRescore(ws, switched.backfillId);
    return switched.version;
  }

  auditLog(ws: WorkspaceId, page: PageRequest): Promise<Page<ScoringModelAuditEntity>> {
    return this.db.repos.models.listAudit(ws, page);
  }

  countAudit(ws: WorkspaceId): Promise<number> {
    return this.db.repos.models.countAudit(ws);
  }

  /** Scores contacts under `versionId` next to the active version, storing nothing. */
  async preview(
    ws: WorkspaceId,
    versionId: string,
    input: { contactIds?: string[] | null; sampleSize?: number | null },
  ): Promise<ScoringModelPreview> {
    const version = await this.require(ws, versionId, 'versionId');
    const active = await this.active(ws);
    const sampleSize = input.sampleSize ?? 100;
    if (input.contactIds && input.contactIds.length > 500) {
      throw new InputError([{ path: 'contactIds', message: 'at most 500 contacts per preview' }]);
    }
    if (!Number.isInteger(sampleSize) || sampleSize < 1 || sampleSize > 500) {
      throw new InputError([{ path: 'sampleSize', message: 'must be between 1 and 500' }]);
    }
    const bad = (input.contactIds ?? []).findIndex((id) => !isUuid(id));
    if (bad >= 0)
      throw new InputError([{ path: `contactIds[${bad}]`, message: 'is not a contact id' }]);
    const repos = this.db.repos;
    const contacts = input.contactIds?.length
      ? await repos.contacts.findByIds(ws, input.contactIds)
      : await repos.contacts.findByIds(
          ws,
          await repos.leadScores.contactIdsAfter(ws, null, sampleSize),
        );
    const now = this.clock.now();
    const tierRank = new Map(
      [...(version.definition['tiers'] as { name: string; min: number }[])].map((t) => [
        t.name,
        t.min,
      ]),
    );
    const rows: PreviewRow[] = [];
    let movedUp = 0;
    let movedDown = 0;
    for (const contact of contacts) {
      const [activeScore, draftScore] = await Promise.all([
        this.scoring.computeScore(repos, ws, contact, active, now),
        this.scoring.computeScore(repos, ws, contact, version, now),
      ]);
      rows.push({ contactId: contact.id, active: activeScore, draft: draftScore });
      if (activeScore.tier !== draftScore.tier) {
        const before = rankOf(active, activeScore.tier);
        const after = tierRank.get(draftScore.tier) ?? 0;
        if (after > before) movedUp += 1;
        else movedDown += 1;
      }
    }
    return { rows, movedUp, movedDown, unchanged: rows.length - movedUp - movedDown };
  }

  /**
   * Accounts scored now under a draft next to the active version: each version scores the
   * account's contacts first, then rolls them up (with its account model, if it has one).
   */
  async previewAccounts(
    ws: WorkspaceId,
    versionId: string,
    input: { accountIds?: string[] | null; sampleSize?: number | null },
  ): Promise<AccountScoringPreview> {
    const version = await this.require(ws, versionId, 'versionId');
    const active = await this.active(ws);
    const sampleSize = input.sampleSize ?? 50;
    if (input.accountIds && input.accountIds.length > 200) {
      throw new InputError([{ path: 'accountIds', message: 'at most 200 accounts per preview' }]);
    }
    if (!Number.isInteger(sampleSize) || sampleSize < 1 || sampleSize > 200) {
      throw new InputError([{ path: 'sampleSize', message: 'must be between 1 and 200' }]);
    }
    const bad = (input.accountIds ?? []).findIndex((id) => !isUuid(id));
    if (bad >= 0)
      throw new InputError([{ path: `accountIds[${bad}]`, message: 'is not an account id' }]);
    const now = this.clock.now();
    const points = await this.db.transaction(ws, async (repos) =>
      currentAccountPoints(
        repos,
        ws,
        input.accountIds?.length
          ? input.accountIds
          : await repos.accountScores.accountIdsAfter(ws, null, sampleSize),
        now,
      ),
    );
    const draftModel = version.definition as unknown as ScoringModelDefinition;
    const activeModel = active.definition as unknown as ScoringModelDefinition;
    const rank = (model: ScoringModelDefinition, tier: string) =>
      model.account.tiers.find((t) => t.name === tier)?.min ?? 0;
    const rows: AccountPreviewRow[] = [];
    let movedUp = 0;
    let movedDown = 0;
    for (const point of points) {
      const before = rulesAccountScore(activeModel, point, { withHistories: true });
      const after = rulesAccountScore(draftModel, point, { withHistories: true });
      rows.push({ accountId: point.account.id, active: before, draft: after });
      if (before.tier !== after.tier) {
        if (rank(draftModel, after.tier) > rank(activeModel, before.tier)) movedUp += 1;
        else movedDown += 1;
      }
    }
    return { rows, movedUp, movedDown, unchanged: rows.length - movedUp - movedDown };
  }
}

function rankOf(version: ScoringModelVersionEntity, tier: string): number {
  const tiers = version.definition['tiers'] as { name: string; min: number }[];
  return tiers.find((t) => t.name === tier)?.min ?? 0;
}
