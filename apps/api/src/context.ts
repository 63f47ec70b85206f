import type { WorkspaceId } from '@quorum/persistence';
import type { AuthenticatedKey } from '@quorum/services';
import { GraphQLError } from 'graphql';
import { createLoaders, type Loaders } from './loaders';
import type { ApiMetrics } from './observability/api-metrics';
import type { ScoreEvent } from '@quorum/events';
import type { ScoreEventHub } from './subscriptions/score-event-hub';
import type { Services } from './services';

export interface RequestContext {
  services: Services;
  /** The API key that made the request, when it gave a valid one. */
  auth: AuthenticatedKey | null;
  /** True when the request carried the server-wide admin token. */
  platformAdmin: boolean;
  loaders: Loaders | null;
  /** Tells every API instance to close the subscriptions of a revoked key. */
  keyRevoked?: (workspaceId: string, keyId: string) => Promise<void>;
  /** Set for operations that arrive over graphql-ws. */
  subscriptions?: {
    hub: ScoreEventHub;
    maxBufferedEvents: number;
    onDelivered?: (event: ScoreEvent) => void;
  };
  /** The HTTP request's id (x-request-id), passed on to the jobs it queues. */
  requestId?: string;
  metrics?: ApiMetrics;
}

export function buildContext(
  services: Services,
  auth: AuthenticatedKey | null,
  platformAdmin: boolean,
): RequestContext {
  return {
    services,
    auth,
    platformAdmin,
    loaders: auth ? createLoaders(services.db, auth.workspaceId) : null,
  };
}

/** The caller's workspace. Authorization has already run, so a missing key is a bug. */
export function workspaceOf(ctx: RequestContext): WorkspaceId {
  if (!ctx.auth)
    throw new GraphQLError('Authentication required', { extensions: { code: 'UNAUTHENTICATED' } });
  return ctx.auth.workspaceId;
}

export function loadersOf(ctx: RequestContext): Loaders {
  if (!ctx.loaders)
    throw new GraphQLError('Authentication required', { extensions: { code: 'UNAUTHENTICATED' } });
  return ctx.loaders;
}
