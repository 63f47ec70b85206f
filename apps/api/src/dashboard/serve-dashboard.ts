import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type Response } from 'express';

export const DASHBOARD_PATH = '/dashboard';

/** Where the workspace build puts the dashboard, from apps/api/src or apps/api/dist alike. */
export const BUILT_DASHBOARD_DIR = path.resolve(__dirname, '../../../dashboard/dist');

// The page holds an API key: allow nothing but its own scripts, styles and connections, so
// injected markup could neither run, restyle the page, nor send the key elsewhere. React's
// `style` props go through the CSSOM, which style-src does not govern.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the built dashboard (apps/dashboard/dist) at /dashboard, on the same origin as
 * /graphql so it needs no CORS. Any other path under /dashboard gets index.html: the page
 * routes itself. Returns false, serving nothing, when the dashboard has not been built.
 */
export function serveDashboard(app: Express, dir: string = BUILT_DASHBOARD_DIR): boolean {
  const index = path.join(dir, 'index.html');
  if (!existsSync(index)) return false;
  app.use(DASHBOARD_PATH, (_req, res, next) => {
    res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    next();
  });
  // Vite names assets by content hash, so they never change; index.html always revalidates.
  app.use(
    `${DASHBOARD_PATH}/assets`,
    express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }),
  );
  const revalidateIndex = (res: Response, file: string) => {
    if (path.basename(file) === 'index.html') res.setHeader('cache-control', 'no-cache');
  };
  app.use(DASHBOARD_PATH, express.static(dir, { index: false, setHeaders: revalidateIndex }));
  app.get(`${DASHBOARD_PATH}{/*path}`, (_req, res) => {
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
  return true;
}
