import type { GraphQLFormattedError } from 'graphql';

/** The API answered with GraphQL errors (bad input, missing scope, rate limit, ...). */
export class QuorumRequestError extends Error {
  constructor(
    readonly errors: readonly GraphQLFormattedError[],
    readonly status?: number,
  ) {
    super(errors.map((e) => e.message).join('; ') || `request failed (HTTP ${status})`);
    this.name = 'QuorumRequestError';
  }

  /** The `extensions.code` of the errors, e.g. BAD_USER_INPUT, FORBIDDEN, UNAUTHENTICATED. */
  get codes(): string[] {
    return this.errors.map((e) => String(e.extensions?.['code'] ?? 'UNKNOWN'));
  }
}

/** The subscription socket closed; 4401/4403 mean the key is missing, revoked or lacks SUBSCRIBE. */
export class QuorumConnectionClosedError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(`connection closed (${code}${reason ? `: ${reason}` : ''})`);
    this.name = 'QuorumConnectionClosedError';
  }

  get isAuthFailure(): boolean {
    return this.code === 4401 || this.code === 4403;
  }
}
