import { isAdminToken } from '@quorum/services';
import type { RequestHandler } from 'express';

/**
 * The server admin token, as `Authorization: Bearer <token>` (scripts) or as the password
 * of HTTP Basic (a browser's login prompt; any user name). Anything else gets 401 with a
 * Basic challenge, so a browser asks for it.
 */
export function requireAdminToken(adminToken: string, realm: string): RequestHandler {
  return (req, res, next) => {
    const given = presentedToken(req.headers.authorization);
    if (given !== null && isAdminToken(adminToken, given)) {
      next();
      return;
    }
    res
      .status(401)
      .set('WWW-Authenticate', `Basic realm="${realm}", charset="UTF-8"`)
      .json({ error: 'the server admin token is required (Bearer, or Basic with it as password)' });
  };
}

/**
 * The server admin token as `Authorization: Bearer <token>` only: for machine clients such
 * as Prometheus. No Basic challenge, so a browser never caches the token for this path.
 */
export function requireAdminBearer(adminToken: string): RequestHandler {
  return (req, res, next) => {
    const given = bearerToken(req.headers.authorization);
    if (given !== null && isAdminToken(adminToken, given)) {
      next();
      return;
    }
    res
      .status(401)
      .set('WWW-Authenticate', 'Bearer')
      .json({ error: 'the server admin token is required as a Bearer token' });
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
