/** SQLSTATEs of a transaction PostgreSQL rolled back to break a conflict: run it again. */
const RETRYABLE_SQLSTATES = new Set(['40P01', '40001']);

/** Node's codes for a connection that could not be made or was cut. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** What node-postgres says when a connection ends or cannot be had, without a code. */
const CONNECTION_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|Client was closed/i;

function codesOf(error: unknown): string[] {
  const e = error as { code?: unknown; driverError?: { code?: unknown }; errors?: unknown[] };
  if (!e || typeof e !== 'object') return [];
  return [
    e.code,
    e.driverError?.code,
    ...(Array.isArray(e.errors) ? e.errors.map((x) => (x as { code?: unknown })?.code) : []),
  ].filter((c): c is string => typeof c === 'string');
}

/** A deadlock (40P01) or serialization failure (40001): the whole transaction may run again. */
export function isRetryableTransactionError(error: unknown): boolean {
  return codesOf(error).some((c) => RETRYABLE_SQLSTATES.has(c));
}

/**
 * PostgreSQL cannot be reached or dropped the connection: refused, reset, shutting down or
 * starting up (57P01-57P03), a connection exception (class 08). Not a fault of the statement.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const codes = codesOf(error);
  if (codes.some((c) => CONNECTION_CODES.has(c) || c.startsWith('08') || /^57P0[123]$/.test(c)))
    return true;
  return error instanceof Error && CONNECTION_MESSAGES.test(error.message);
}
