import { NEWEST_FIRST } from '@quorum/persistence';
import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { pageRequest, toConnection } from '../../pagination';
import { PLATFORM_ADMIN } from '../../auth-checker';
import { workspaceOf, type RequestContext } from '../../context';
import { ApiScopeEnum } from '../types/enums';
import {
  AdminAuditConnection,
  type AdminAuditEntry,
  ApiKey,
  CreateApiKeyPayload,
  CreateWorkspacePayload,
  Workspace,
} from '../types/workspace.type';
import type { ApiScope } from '@quorum/services';

@Resolver()
export class WorkspaceResolver {
  @Authorized(PLATFORM_ADMIN)
  @Mutation(() => CreateWorkspacePayload, {
    description: 'Creates a workspace and its first ADMIN key. Needs the server admin token.',
  })
  createWorkspace(
    @Arg('name') name: string,
    @Ctx() ctx: RequestContext,
  ): Promise<CreateWorkspacePayload> {
    return ctx.services.workspaces.createWorkspace(name);
  }

  @Authorized('READ')
  @Query(() => Workspace, { description: 'The workspace of the calling API key.' })
  workspace(@Ctx() ctx: RequestContext): Promise<Workspace> {
    return ctx.services.workspaces.getWorkspace(workspaceOf(ctx));
  }

  @Authorized('ADMIN')
  @Query(() => AdminAuditConnection, { description: 'Administrative actions, newest first.' })
  async adminAuditLog(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 50 }) first = 50,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<AdminAuditConnection> {
    const ws = workspaceOf(ctx);
    const page = await ctx.services.db.repos.audit.list(
      ws,
      pageRequest(first, after, 'ADMIN_AUDIT', NEWEST_FIRST),
    );
    return toConnection(
      AdminAuditConnection,
      page,
      'ADMIN_AUDIT',
      (e: AdminAuditEntry) => [e.id],
      () => ctx.services.db.repos.audit.count(ws),
    );
  }

  @Authorized('ADMIN')
  @Query(() => [ApiKey])
  apiKeys(@Ctx() ctx: RequestContext): Promise<ApiKey[]> {
    return ctx.services.workspaces.listApiKeys(workspaceOf(ctx));
  }

  @Authorized('ADMIN')
  @Mutation(() => CreateApiKeyPayload)
  createApiKey(
    @Arg('name') name: string,
    @Arg('scopes', () => [ApiScopeEnum]) scopes: ApiScope[],
    @Ctx() ctx: RequestContext,
  ): Promise<CreateApiKeyPayload> {
    return ctx.services.workspaces.createApiKey(workspaceOf(ctx), name, scopes, ctx.auth!.keyId);
  }

  @Authorized('ADMIN')
  @Mutation(() => ApiKey)
  async revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ApiKey> {
    const revoked = await ctx.services.workspaces.revokeApiKey(
      workspaceOf(ctx),
      id,
      ctx.auth!.keyId,
    );
    await ctx.keyRevoked?.(workspaceOf(ctx), id);
    return revoked;
  }
}
