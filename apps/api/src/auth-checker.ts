import { hasScope, type ApiScope } from '@quorum/services';
import { GraphQLError } from 'graphql';
import type { AuthChecker } from 'type-graphql';
import type { RequestContext } from './context';

/** `@Authorized(PLATFORM_ADMIN)` marks operations that need the server's admin token. */
export const PLATFORM_ADMIN = 'PLATFORM_ADMIN';

export const authChecker: AuthChecker<RequestContext> = ({ context }, roles) => {
  if (roles.includes(PLATFORM_ADMIN)) {
    if (context.platformAdmin) return true;
    throw new GraphQLError('This operation needs the server admin token (QUORUM_ADMIN_TOKEN)', {
      extensions: { code: context.auth ? 'FORBIDDEN' : 'UNAUTHENTICATED' },
    });
  }
  if (!context.auth) {
    throw new GraphQLError('Send an API key: Authorization: Bearer <key>', {
      extensions: { code: 'UNAUTHENTICATED' },
    });
  }
  const missing = roles.filter((r) => !hasScope(context.auth!.scopes, r as ApiScope));
  if (missing.length > 0) {
    throw new GraphQLError(`This API key lacks the ${missing.join(', ')} scope`, {
      extensions: { code: 'FORBIDDEN', requiredScopes: missing },
    });
  }
  return true;
};
