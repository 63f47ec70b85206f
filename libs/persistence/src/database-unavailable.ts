/**
 * Whether an error means PostgreSQL could not be reached or dropped the connection (down,
 * restarting, out of connections, network): the request may succeed if retried, and the
 * caller is told so without the error's details, which name the server's address.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as {
      code?: unknown;
      message?: unknown;
      driverError?: unknown;
      originalError?: unknown;
      cause?: unknown;
    };
    if (typeof e.code === 'string' && UNAVAILABLE_CODES.test(e.code)) return true;
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
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly)/;
