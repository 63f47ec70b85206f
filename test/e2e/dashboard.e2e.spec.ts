import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { eventChannel } from '@quorum/events';
import { dropDatabase } from '@quorum/persistence';
import { Redis } from 'ioredis';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually } from '../support/api-harness';
import { chromiumMissing, CHROMIUM_PATH, launchChromium, type Browser } from '../support/browser';
import { databaseUrl, testRedisUrl } from '../support/database-url';
import { graphqlClient, ok, type Gql } from '../support/graphql-client';
import { freePort, REPO_ROOT, startProcess, type RunningProcess } from '../support/processes';
import { testRedisPrefix } from '../support/redis-prefix';

// `npm run dashboard:screenshots` sets this to refresh docs/screenshots from this run.
const SCREENSHOTS = process.env['DASHBOARD_SCREENSHOTS'];

if (chromiumMissing) {
  console.warn(
    `dashboard e2e skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
  );
}

/** The demo data (apps/api/src/cli/seed-demo.ts) in a running Quorum, driven in Chromium. */
describe.skipIf(chromiumMissing)('the dashboard in a real browser', () => {
  const dbName = `quorum_test_${inject('runId')}_dash_${randomBytes(3).toString('hex')}`;
  const prefix = testRedisPrefix('dash');
  const procs: RunningProcess[] = [];
  let redis: Redis;
  let browser: Browser;
  let page: Page;
  let dashboardUrl: string;
  let gql: Gql;
  let key: string;
  let workspaceId: string;

  const rows = (p: Page) =>
    p.$$eval('tr.account-row', (trs) =>
      trs.map((tr) => ({
        domain: tr.getAttribute('data-domain')!,
        rank: Number(tr.getAttribute('data-rank')),
        score: tr.querySelector('[data-testid=score]')!.textContent!,
      })),
    );

  async function priorityOrder(filter: Record<string, unknown> = {}) {
    const data = await ok(
      gql(
        `query($f: AccountFilterInput) { accounts(orderBy: PRIORITY_DESC, first: 100, filter: $f) { edges { node { id domain score { total } } } } }`,
        { f: filter },
      ),
    );
    return data.accounts.edges.map((e: any) => e.node) as {
      id: string;
      domain: string;
      score: { total: number };
    }[];
  }

  async function screenshot(name: string) {
    if (!SCREENSHOTS) return;
    const dir = path.join(REPO_ROOT, 'docs/screenshots');
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, name), fullPage: true });
  }

  beforeAll(async () => {
    redis = new Redis(testRedisUrl());
    const env = {
      DATABASE_URL: databaseUrl(dbName),
      REDIS_URL: testRedisUrl(),
      QUORUM_REDIS_PREFIX: prefix,
      QUORUM_ADMIN_TOKEN: 'e2e-admin-token-0123456789',
      NODE_ENV: 'production',
    };
    const port = await freePort();
    const api = startProcess('apps/api/dist/main.js', { ...env, PORT: String(port) });
    procs.push(api);
    await api.waitFor('Quorum API ready');
    await api.waitFor(/Dashboard at \S+/);
    const worker = startProcess('apps/worker/dist/main.js', {
      ...env,
      WORKER_HEALTH_PORT: String(await freePort()),
    });
    procs.push(worker);
    await worker.waitFor('Quorum worker running');

    const seed = startProcess('apps/api/dist/cli/seed-demo.js', env);
    procs.push(seed);
    await seed.waitFor('API key (shown once)', 60_000);
    expect(await seed.exited).toBe(0);
    key = /API key \(shown once\): (\S+)/.exec(seed.output())![1]!;
    workspaceId = /\(([0-9a-f-]{36})\) seeded:/.exec(seed.output())![1]!;
    gql = graphqlClient(`http://127.0.0.1:${port}/graphql`, key);
    dashboardUrl = `http://127.0.0.1:${port}/dashboard/`;

    browser = await launchChromium();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    for (const p of procs) await p.stop();
    redis?.disconnect();
    await dropDatabase(databaseUrl(dbName));
  });

  it('signs in with the API key and lists the demo accounts by priority, with the tier chart', async () => {
    await page.goto(dashboardUrl);
    await page.fill('input[name=apiKey]', 'qk_not-a-real-key');
    await page.click('button[type=submit]');
    await page.waitForSelector('[role=alert]');
    expect(await page.textContent('[role=alert]')).toContain('unknown or revoked');

    await page.fill('input[name=apiKey]', key);
    await page.click('button[type=submit]');
    await page.waitForSelector('tr.account-row');
    const expected = await priorityOrder();
    expect(expected).toHaveLength(12);
    const listed = await rows(page);
    expect(listed.map((r) => r.domain)).toEqual(expected.map((a) => a.domain));
    expect(listed.map((r) => r.score)).toEqual(expected.map((a) => a.score.total.toFixed(1)));
    const { tierDistribution } = await ok(
      gql(`{ tierDistribution(entity: ACCOUNT) { tier count } }`),
    );
    // The demo spans the tiers, so the chart has more than one bar to get right.
    expect(tierDistribution.filter((t: { count: number }) => t.count > 0).length).toBeGreaterThan(
      1,
    );
    expect(await page.getAttribute('.tier-chart svg', 'aria-label')).toBe(
      tierDistribution
        .map((t: { tier: string; count: number }) => `${t.tier}: ${t.count}`)
        .join(', '),
    );
    expect(await page.textContent('.top-bar .workspace')).toMatch(/^Demo /);

    // The key is kept for this tab only: a reload stays signed in, a new tab signs in again,
    // and nothing is left in localStorage for another page of the origin to read.
    await page.reload();
    await page.waitForSelector('tr.account-row');
    expect(await page.$('input[name=apiKey]')).toBeNull();
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.length)).toBe(1);
    expect(await page.evaluate(() => (globalThis as any).localStorage.length)).toBe(0);
    const otherTab = await browser.context.newPage();
    try {
      await otherTab.goto(dashboardUrl);
      await otherTab.waitForSelector('input[name=apiKey]');
    } finally {
      await otherTab.close();
    }
    expect(browser.pageErrors).toEqual([]);
    expect(browser.consoleErrors.filter((e) => !e.includes('status of 401'))).toEqual([]);
    await screenshot('dashboard-accounts.png');
  });

  it('serves a production build without source maps, and index.html revalidated on every path', async () => {
    const assets = readdirSync(path.join(REPO_ROOT, 'apps/dashboard/dist/assets'));
    expect(assets.some((f) => f.endsWith('.js'))).toBe(true);
    expect(assets.filter((f) => f.endsWith('.map'))).toEqual([]);
    for (const route of ['', 'index.html', 'accounts/x']) {
      const response = await fetch(dashboardUrl + route);
      expect(response.headers.get('cache-control'), route).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    }
    const script = /src="(\/dashboard\/assets\/[^"]+\.js)"/.exec(
      await (await fetch(dashboardUrl)).text(),
    )![1]!;
    expect(await (await fetch(new URL(script, dashboardUrl))).text()).not.toContain(
      'sourceMappingURL',
    );
  });

  it('filters by committee coverage, as the API does, and keeps the filter in the URL', async () => {
    const gaps = await priorityOrder({ coverageBelow: 0.5 });
    expect(gaps.length).toBeGreaterThan(0);
    expect(gaps.length).toBeLessThan(12);
    await page.selectOption('select[aria-label="Committee coverage"]', '0.5');
    await eventually(async () => ((await rows(page)).length === gaps.length ? true : undefined));
    expect((await rows(page)).map((r) => r.domain)).toEqual(gaps.map((a) => a.domain));
    expect(page.url()).toContain('coverageBelow=0.5');

    await page.selectOption('select[aria-label="Committee coverage"]', '');
    await eventually(async () => ((await rows(page)).length === 12 ? true : undefined));
  });

  it('opens an account: buying groups with covered and missing roles, members and score reasons', async () => {
    const [top] = await priorityOrder();
    const data = await ok(
      gql(
        `query($id: ID!) { account(id: $id) { name score { reasons { label } } buyingGroups { name missingRoles members { contact { email } } } } }`,
        { id: top!.id },
      ),
    );
    await page.click(`tr[data-domain="${top!.domain}"] a`);
    await page.waitForSelector('.buying-group');
    expect(new URL(page.url()).pathname).toBe(`/dashboard/accounts/${top!.id}`);
    expect(await page.textContent('h1')).toBe(data.account.name);
    expect(await page.textContent('[data-testid=account-score]')).toBe(top!.score.total.toFixed(1));
    const [group] = data.account.buyingGroups;
    expect(await page.textContent('.buying-group h3')).toBe(group.name);
    expect(await page.$$eval('.buying-group .members tbody tr', (trs) => trs.length)).toBe(
      group.members.length,
    );
    expect(await page.$$eval('.role[data-state=missing]', (els) => els.length)).toBe(
      group.missingRoles.length,
    );
    expect(await page.$$eval('table.reasons tbody tr', (trs) => trs.length)).toBe(
      data.account.score.reasons.length,
    );
    await screenshot('dashboard-account.png');

    await page.click('a.back');
    await page.waitForSelector('tr.account-row');
  });

  it('moves a low-ranked account up the open list when its activity is recorded, without a reload', async () => {
    const before = await priorityOrder();
    const last = before.at(-1)!;
    const rankBefore = before.length;
    expect((await rows(page)).at(-1)!.domain).toBe(last.domain);
    await page.evaluate(() => ((globalThis as any).__sameDocument = true));
    // The page's graphql-ws subscription must be registered before the activity arrives.
    await page.waitForSelector('.live[data-status=live]');
    await eventually(async () => {
      const [, n] = (await redis.pubsub('NUMSUB', eventChannel(prefix, workspaceId))) as [
        string,
        number,
      ];
      return n >= 1 ? true : undefined;
    });

    const contacts = await ok(
      gql(`query($d: String!) { account(domain: $d) { contacts { edges { node { email } } } } }`, {
        d: last.domain,
      }),
    );
    const at = new Date(Date.now() - 60_000).toISOString();
    const activities = contacts.account.contacts.edges.flatMap((e: any, i: number) =>
      [0, 1, 2].map((k) => ({
        type: 'DEMO_REQUEST',
        occurredAt: at,
        email: e.node.email,
        externalId: `dash-e2e-${i}-${k}`,
      })),
    );
    activities.push({
      type: 'INTENT_SURGE',
      occurredAt: at,
      accountDomain: last.domain,
      externalId: 'dash-e2e-intent',
    } as any);
    await ok(
      gql(`mutation($a: [ActivityInput!]!) { recordActivities(activities: $a) { accepted } }`, {
        a: activities,
      }),
    );

    const moved = await eventually(async () => {
      const row = (await rows(page)).find((r) => r.domain === last.domain)!;
      return row.rank < rankBefore ? row : undefined;
    }, 20_000);
    const after = await eventually(async () => {
      const order = await priorityOrder();
      const mine = order.find((a) => a.domain === last.domain)!;
      return mine.score.total > last.score.total ? order : undefined;
    });
    // The row settles where the API ranks it, with the API's score, and is marked as updated.
    await eventually(async () => {
      const listed = await rows(page);
      return JSON.stringify(listed.map((r) => r.domain)) ===
        JSON.stringify(after.map((a) => a.domain)) &&
        listed.every((r, i) => r.score === after[i]!.score.total.toFixed(1))
        ? true
        : undefined;
    });
    // Then the refetch the event triggers brings what the event does not carry: the trend.
    // Later rescores may still add history, so the page must catch up with the API's count.
    await eventually(async () => {
      const history = await ok(
        gql(`query($d: String!) { account(domain: $d) { scoreHistory { totalCount } } }`, {
          d: last.domain,
        }),
      );
      const changes = history.account.scoreHistory.totalCount as number;
      const label = await page.getAttribute(
        `tr[data-domain="${last.domain}"] svg.sparkline`,
        'aria-label',
      );
      return changes > 1 && label?.startsWith(`Score trend over ${changes} changes, up`)
        ? true
        : undefined;
    }, 30_000);
    expect(moved.rank).toBeLessThan(rankBefore);
    expect(await page.getAttribute(`tr[data-domain="${last.domain}"]`, 'class')).toContain(
      'updated',
    );
    expect(await page.evaluate(() => (globalThis as any).__sameDocument)).toBe(true);
    expect(browser.pageErrors).toEqual([]);
    // The one expected console error is the refused sign-in with a wrong key (HTTP 401).
    expect(browser.consoleErrors.filter((e) => !e.includes('status of 401'))).toEqual([]);
    await screenshot('dashboard-live-update.png');
  });

  it('signs out, and with a READ-only key shows the accounts and says live updates are off', async () => {
    const reader = await ok(
      gql(`mutation { createApiKey(name: "dashboard reader", scopes: [READ]) { secret } }`),
    );
    await page.click('text=Sign out');
    await page.waitForSelector('input[name=apiKey]');
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.length)).toBe(0);
    await page.fill('input[name=apiKey]', reader.createApiKey.secret);
    await page.click('button[type=submit]');
    await page.waitForSelector('tr.account-row');
    await page.waitForSelector('.live[data-status=forbidden]');
    expect(await page.textContent('.live')).toContain('lacks SUBSCRIBE');
    expect(browser.pageErrors).toEqual([]);
  });
});
