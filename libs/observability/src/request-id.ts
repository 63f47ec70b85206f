import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Ids a caller may choose: what proxies and tracing tools generate, nothing that breaks a log line. */
const ACCEPTED = /^[A-Za-z0-9._~:/+=-]{1,128}$/;

/** The caller's `x-request-id` when it is a sane token, otherwise a new UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && ACCEPTED.test(given) ? given : randomUUID();
}
