import type { IncomingMessage } from 'node:http';

/** Express's compiled `trust proxy` setting: whether the hop at `i` is a trusted proxy. */
export type TrustProxy = (address: string, i: number) => boolean;

/**
 * The client's address as Express's `req.ip` computes it, for any request (graphql-ws
 * upgrades included): the socket's address, then X-Forwarded-For from the nearest hop back,
 * as long as each hop is a trusted proxy.
 */
export function clientAddress(request: IncomingMessage, trust: TrustProxy): string {
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean)
    .reverse();
  const hops = [request.socket.remoteAddress ?? 'unknown', ...forwarded];
  let i = 0;
  while (i < hops.length - 1 && trust(hops[i]!, i)) i += 1;
  return hops[i]!;
}
