/** SQLSTATEs of a transaction PostgreSQL rolled back to break a conflict: run it again. */
const RETRYABLE_SQLSTATES = new Set(['40P01', '40001']);

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
 * Whether an error means PostgreSQL could not be reached or dropped the connection (down,
 * restarting, out of connections, network): the request may succeed if retried, and the
 * caller is told so without the error's details, which name the server's address. Follows
 * the driver error and the cause chain.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as {
      message?: unknown;
      driverError?: unknown;
      originalError?: unknown;
      cause?: unknown;
    };
    if (codesOf(current).some((c) => UNAVAILABLE_CODES.test(c))) return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
    current = e.driverError ?? e.originalError ?? e.cause;
  }
  return false;
}

/**
 * Socket errors, SQLSTATE class 08 (connection exception), 57P01–57P03 (shutdown, crash,
 * cannot connect now) and 53300 (too many connections).
 */
const UNAVAILABLE_CODES =
  /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|08\w{3}|57P0[123]|53300)$/;

/** node-postgres and its pool say these without a code. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly|connection timeout|not queryable|Client was closed/i;
