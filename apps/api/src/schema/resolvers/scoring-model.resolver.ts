import { GraphQLJSONObject } from 'graphql-scalars';
import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { NEWEST_FIRST } from '@quorum/persistence';
import { InputError, isUuid } from '@quorum/services';
import { ScoringModelDefinitionDef } from '../types/model-definition.type';
import { loadersOf, workspaceOf, type RequestContext } from '../../context';
import { pageRequest, toConnection } from '../../pagination';
import {
  ScoringBackfill,
  ScoringModelAuditConnection,
  ScoringModelPreview,
  ScoringModelVersion,
  type ScoringModelAuditEntry,
  TierPlacement,
  AccountScoringPreview,
} from '../types/scoring-model.type';

@Resolver(() => ScoringModelVersion)
export class ScoringModelResolver {
  @Authorized('READ')
  @Query(() => ScoringBackfill, { nullable: true, description: 'Progress of a full rescore.' })
  async scoringBackfill(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: RequestContext,
  ): Promise<ScoringBackfill | null> {
    if (!isUuid(id)) return null;
    return (await ctx.services.db.repos.pending.findBackfills(workspaceOf(ctx), [id]))[0] ?? null;
  }

  @Authorized('READ')
  @Query(() => [ScoringBackfill], { description: 'Recent full rescores, newest first.' })
  scoringBackfills(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20, description: 'At most 100.' }) first = 20,
  ): Promise<ScoringBackfill[]> {
    return ctx.services.db.repos.pending.recentBackfills(
      workspaceOf(ctx),
      Math.min(Math.max(first, 1), 100),
    );
  }

  @FieldResolver(() => GraphQLJSONObject, {
    description: 'The same model as one JSON document: export, diff, import.',
  })
  definitionJson(@Root() version: ScoringModelVersion): Record<string, unknown> {
    return version.definition;
  }

  @FieldResolver(() => [TierPlacement], {
    description:
      'Where each tier starts now: tiers set by share at the cut-offs the workspace’s scores place them at, the others at their min.',
  })
  tierPlacements(
    @Root() version: ScoringModelVersion,
    @Ctx() ctx: RequestContext,
  ): Promise<TierPlacement[]> {
    return ctx.services.models.tierPlacements(workspaceOf(ctx), version.id);
  }

  @FieldResolver(() => ScoringBackfill, {
    nullable: true,
    description: 'The newest backfill this version triggered.',
  })
  async latestBackfill(
    @Root() version: ScoringModelVersion,
    @Ctx() ctx: RequestContext,
  ): Promise<ScoringBackfill | null> {
    return (
      (await ctx.services.db.repos.pending.recentBackfills(workspaceOf(ctx), 1, version.id))[0] ??
      null
    );
  }

  @Authorized('READ')
  @Query(() => ScoringModelVersion, { description: 'The active scoring model version.' })
  scoringModel(@Ctx() ctx: RequestContext): Promise<ScoringModelVersion> {
    return ctx.services.models.active(workspaceOf(ctx));
  }

  @Authorized('READ')
  @Query(() => [ScoringModelVersion], { description: 'Every version, newest first.' })
  scoringModelVersions(@Ctx() ctx: RequestContext): Promise<ScoringModelVersion[]> {
    return ctx.services.models.list(workspaceOf(ctx));
  }

  @Authorized('READ')
  @Query(() => ScoringModelVersion, { nullable: true })
  scoringModelVersion(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: RequestContext,
  ): Promise<ScoringModelVersion | null> {
    return ctx.services.models.find(workspaceOf(ctx), id);
  }

  @Authorized('READ')
  @Query(() => ScoringModelAuditConnection, {
    description: 'Publishes and rollbacks, newest first.',
  })
  async scoringModelAuditLog(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 50 }) first = 50,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<ScoringModelAuditConnection> {
    const ws = workspaceOf(ctx);
    const page = await ctx.services.models.auditLog(
      ws,
      pageRequest(first, after, 'AUDIT', NEWEST_FIRST),
    );
    return toConnection(
      ScoringModelAuditConnection,
      page,
      'AUDIT',
      (e: ScoringModelAuditEntry) => [e.id],
      () => ctx.services.models.countAudit(ws),
    );
  }

  @Authorized('ADMIN')
  @Mutation(() => ScoringModelVersion, {
    description:
      'A new draft from a definition (validated; errors name the path), or a copy of basedOn / the active version.',
  })
  createScoringModelDraft(
    @Ctx() ctx: RequestContext,
    @Arg('definition', () => ScoringModelDefinitionDef, { nullable: true })
    definition?: ScoringModelDefinitionDef,
    @Arg('definitionJson', () => GraphQLJSONObject, {
      nullable: true,
      description: 'The model as a JSON document (import).',
    })
    definitionJson?: Record<string, unknown>,
    @Arg('basedOn', () => ID, { nullable: true }) basedOn?: string,
    @Arg('description', () => String, { nullable: true }) description?: string,
  ): Promise<ScoringModelVersion> {
    return ctx.services.models.createDraft(workspaceOf(ctx), {
      definition: oneDefinition(definition, definitionJson, false),
      basedOnId: basedOn,
      description,
    });
  }

  @Authorized('ADMIN')
  @Mutation(() => ScoringModelVersion)
  updateScoringModelDraft(
    @Arg('versionId', () => ID) versionId: string,
    @Ctx() ctx: RequestContext,
    @Arg('definition', () => ScoringModelDefinitionDef, { nullable: true })
    definition?: ScoringModelDefinitionDef,
    @Arg('definitionJson', () => GraphQLJSONObject, { nullable: true })
    definitionJson?: Record<string, unknown>,
    @Arg('description', () => String, { nullable: true }) description?: string,
  ): Promise<ScoringModelVersion> {
    return ctx.services.models.updateDraft(workspaceOf(ctx), versionId, {
      definition: oneDefinition(definition, definitionJson, true),
      description,
    });
  }

  @Authorized('READ')
  @Query(() => ScoringModelPreview, {
    description: 'Scores contacts under a version next to the active one, storing nothing.',
  })
  async previewScoringModel(
    @Arg('versionId', () => ID) versionId: string,
    @Ctx() ctx: RequestContext,
    @Arg('contactIds', () => [ID], { nullable: true }) contactIds?: string[],
    @Arg('sampleSize', () => Int, { nullable: true }) sampleSize?: number,
  ): Promise<ScoringModelPreview> {
    const preview = await ctx.services.models.preview(workspaceOf(ctx), versionId, {
      contactIds,
      sampleSize,
    });
    const loaders = loadersOf(ctx);
    const rows = await Promise.all(
      preview.rows.map(async (r) => ({
        contact: (await loaders.contact.load(r.contactId))!,
        active: r.active,
        draft: r.draft,
      })),
    );
    return { ...preview, rows };
  }

  @Authorized('READ')
  @Query(() => AccountScoringPreview, {
    description:
      'Scores accounts under a version next to the active one (their contacts first, then the roll-up or account model), storing nothing.',
  })
  async previewAccountScoring(
    @Arg('versionId', () => ID) versionId: string,
    @Ctx() ctx: RequestContext,
    @Arg('accountIds', () => [ID], { nullable: true }) accountIds?: string[],
    @Arg('sampleSize', () => Int, { nullable: true, description: 'At most 200; default 50.' })
    sampleSize?: number,
  ): Promise<AccountScoringPreview> {
    const preview = await ctx.services.models.previewAccounts(workspaceOf(ctx), versionId, {
      accountIds,
      sampleSize,
    });
    const loaders = loadersOf(ctx);
    const rows = await Promise.all(
      preview.rows.map(async (r) => ({
        account: (await loaders.account.load(r.accountId))!,
        active: r.active,
        draft: r.draft,
      })),
    );
    return { ...preview, rows };
  }

  @Authorized('ADMIN')
  @Mutation(() => ScoringModelVersion, {
    description: 'Publishes a draft as the active version and rescores the workspace.',
  })
  publishScoringModel(
    @Arg('versionId', () => ID) versionId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<ScoringModelVersion> {
    return ctx.services.models.publish(workspaceOf(ctx), versionId, ctx.auth!.keyId);
  }

  @Authorized('ADMIN')
  @Mutation(() => ScoringModelVersion, {
    description: 'Re-activates an earlier published version and rescores the workspace.',
  })
  rollbackScoringModel(
    @Arg('toVersionId', () => ID) toVersionId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<ScoringModelVersion> {
    return ctx.services.models.rollback(workspaceOf(ctx), toVersionId, ctx.auth!.keyId);
  }
}

/** The typed definition or the JSON one (not both), as the plain document the engine validates. */
function oneDefinition(
  typed: ScoringModelDefinitionDef | undefined,
  json: Record<string, unknown> | undefined,
  required: boolean,
): Record<string, unknown> | undefined {
  if (typed && json)
    throw new InputError([
      { path: 'definitionJson', message: 'give definition or definitionJson, not both' },
    ]);
  if (required && !typed && !json)
    throw new InputError([{ path: 'definition', message: 'give definition or definitionJson' }]);
  return typed ? (JSON.parse(JSON.stringify(typed)) as Record<string, unknown>) : json;
}
