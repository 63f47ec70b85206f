import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDashboard } from './serve-dashboard';

describe('serveDashboard', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'quorum-dashboard-'));
  let server: Server;
  let base: string;

  beforeAll(async () => {
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    const app = express();
    expect(serveDashboard(app, dir)).toBe(true);
    app.get('/graphql', (_req, res) => res.send('api'));
    server = app.listen(0);
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html for the dashboard and for any route under it, revalidated each time', async () => {
    for (const route of [
      '/dashboard',
      '/dashboard/',
      '/dashboard/index.html',
      '/dashboard/accounts/3f2a',
      '/dashboard/?tier=HOT',
    ]) {
      const response = await fetch(base + route);
      expect(response.status, route).toBe(200);
      expect(await response.text()).toContain('<div id="root">');
      expect(response.headers.get('cache-control'), route).toBe('no-cache');
      const policy = response.headers.get('content-security-policy');
      expect(policy).toContain("default-src 'self'");
      expect(policy).toContain("style-src 'self';");
      expect(policy).not.toContain('unsafe-inline');
    }
  });

  it('serves hashed assets as immutable and answers 404 for a missing one instead of index.html', async () => {
    const asset = await fetch(`${base}/dashboard/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${base}/dashboard/assets/gone.js`)).status).toBe(404);
  });

  it('leaves other paths alone, and serves nothing when the dashboard is not built', async () => {
    expect(await (await fetch(`${base}/graphql`)).text()).toBe('api');
    expect(serveDashboard(express(), path.join(dir, 'missing'))).toBe(false);
  });
});
