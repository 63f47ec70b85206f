import { isAdminToken } from '@quorum/services';
import type { Request, RequestHandler, Response } from 'express';
import type { AuthFailureGuard } from '../protection/auth-failures';
import { clientAddress } from '../protection/client-address';

/**
 * Checks a presented admin token through the failed-authentication guard: a wrong token
 * counts against the client's address, and an address that failed too often gets 429.
 */
function guarded(
  guard: AuthFailureGuard,
  adminToken: string,
  refuse: (res: Response) => void,
): (req: Request, res: Response, next: () => void, given: string) => Promise<void> {
  return async (req, res, next, given) => {
    const attempt = await guard.attempt(
      clientAddress(req, req.app.get('trust proxy fn')),
      'admin',
      async () => (isAdminToken(adminToken, given) ? true : null),
    );
    if (attempt.outcome === 'accepted') {
      next();
    } else if (attempt.outcome === 'blocked') {
      res
        .status(429)
        .set('retry-after', String(attempt.retryAfterSeconds))
        .json({ error: 'too many failed authentications from this address; retry later' });
    } else {
      refuse(res);
    }
  };
}

/**
 * The server admin token, as `Authorization: Bearer <token>` (scripts) or as the password
 * of HTTP Basic (a browser's login prompt; any user name). Anything else gets 401 with a
 * Basic challenge, so a browser asks for it.
 */
export function requireAdminToken(
  adminToken: string,
  realm: string,
  guard: AuthFailureGuard,
): RequestHandler {
  const refuse = (res: Response) => {
    res
      .status(401)
      .set('WWW-Authenticate', `Basic realm="${realm}", charset="UTF-8"`)
      .json({ error: 'the server admin token is required (Bearer, or Basic with it as password)' });
  };
  const check = guarded(guard, adminToken, refuse);
  return async (req, res, next) => {
    const given = presentedToken(req.headers.authorization);
    if (given === null) refuse(res);
    else await check(req, res, next, given);
  };
}

/**
 * The server admin token as `Authorization: Bearer <token>` only: for machine clients such
 * as Prometheus. No Basic challenge, so a browser never caches the token for this path.
 */
export function requireAdminBearer(adminToken: string, guard: AuthFailureGuard): RequestHandler {
  const refuse = (res: Response) => {
    res
      .status(401)
      .set('WWW-Authenticate', 'Bearer')
      .json({ error: 'the server admin token is required as a Bearer token' });
  };
  const check = guarded(guard, adminToken, refuse);
  return async (req, res, next) => {
    const given = bearerToken(req.headers.authorization);
    if (given === null) refuse(res);
    else await check(req, res, next, given);
  };
}

export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1]! : null;
}

function presentedToken(header: string | undefined): string | null {
  const bearer = bearerToken(header);
  if (bearer !== null) return bearer;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!basic) return null;
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) : null;
}
