import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { ok, type Gql } from '../support/graphql-client';

const NOW = new Date('2026-11-20T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();

describe('account scores, buying groups and the dashboard queries', () => {
  let h: ApiHarness;
  let gql: Gql;
  let acme: string;
  let beta: string;
  let groupId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    h = await startApiHarness({ withWorker: true, now: NOW });
    ({ gql } = await h.newWorkspace());
    const accounts = await ok(
      gql(`mutation { upsertAccounts(accounts: [
      { domain: "acme.io", name: "Acme", industry: "Software", employeeCount: 800, country: "US", ownerId: "rep-1" },
      { domain: "beta.io", name: "Beta", industry: "Retail", employeeCount: 20, country: "BR", ownerId: "rep-2" }
    ]) { accounts { id domain } } }`),
    );
    [acme, beta] = accounts.upsertAccounts.accounts.map((a: any) => a.id);
    const contacts = await ok(
      gql(`mutation { upsertContacts(contacts: [
      { email: "cto@acme.io", title: "CTO", seniority: "C-Level", department: "Engineering" },
      { email: "champ@acme.io", title: "RevOps Manager", seniority: "Manager", department: "Operations" },
      { email: "eng@acme.io", title: "Senior Data Engineer", department: "Engineering" },
      { email: "solo@beta.io", title: "Buyer" }
    ]) { contacts { id email } } }`),
    );
    for (const c of contacts.upsertContacts.contacts) ids[c.email.split('@')[0]] = c.id;
    const group = await ok(
      gql(
        `mutation($a: ID!) { createBuyingGroup(input: { accountId: $a, name: "Platform",
      requiredRoles: [DECISION_MAKER, CHAMPION, TECHNICAL_EVALUATOR, ECONOMIC_BUYER] }) { id } }`,
        { a: acme },
      ),
    );
    groupId = group.createBuyingGroup.id;
    await ok(
      gql(
        `mutation($g: ID!, $c: ID!) { setBuyingGroupMember(buyingGroupId: $g, contactId: $c, role: DECISION_MAKER) { role } }`,
        { g: groupId, c: ids['cto'] },
      ),
    );
    await ok(
      gql(
        `mutation($g: ID!, $c: ID!) { setBuyingGroupMember(buyingGroupId: $g, contactId: $c, role: CHAMPION) { role } }`,
        { g: groupId, c: ids['champ'] },
      ),
    );
    await ok(
      gql(`mutation($a: [ActivityInput!]!) { recordActivities(activities: $a) { accepted } }`, {
        a: [
          { type: 'DEMO_REQUEST', occurredAt: hoursAgo(1), email: 'cto@acme.io', externalId: 'a1' },
          {
            type: 'PAGE_VIEW',
            occurredAt: hoursAgo(2),
            email: 'cto@acme.io',
            externalId: 'a2',
            properties: { url: '/pricing' },
          },
          { type: 'EMAIL_OPEN', occurredAt: hoursAgo(3), email: 'champ@acme.io', externalId: 'a3' },
          {
            type: 'CONTENT_DOWNLOAD',
            occurredAt: hoursAgo(4),
            email: 'eng@acme.io',
            externalId: 'a4',
          },
          {
            type: 'INTENT_SURGE',
            occurredAt: hoursAgo(5),
            accountDomain: 'acme.io',
            externalId: 'a5',
            properties: { topic: 'lead scoring' },
          },
          { type: 'EMAIL_OPEN', occurredAt: hoursAgo(6), email: 'solo@beta.io', externalId: 'b1' },
        ],
      }),
    );
    await h.settled();
  });
  afterAll(() => h?.close());

  it('stores an explained account score whose reasons add up to the total', async () => {
    const data = await ok(
      gql(
        `query($id: ID!) { account(id: $id) { score {
      fit rollup committee intent engagement total tier quadrant action
      signals { engagedContacts coverage decisionMakerEngaged daysSinceLastActivity velocity { last7Days surging } }
      reasons { ruleId category points kind } } } }`,
        { id: acme },
      ),
    );
    const s = data.account.score;
    expect(s.total).toBeCloseTo(s.fit + s.engagement, 2);
    expect(s.engagement).toBeCloseTo(s.rollup + s.committee + s.intent, 2);
    expect(s.reasons.reduce((sum: number, r: any) => sum + Math.round(r.points * 100), 0)).toBe(
      Math.round(s.total * 100),
    );
    expect(s.signals).toMatchObject({
      engagedContacts: 1,
      decisionMakerEngaged: true,
      daysSinceLastActivity: 0,
      velocity: { last7Days: 5 },
    });
    expect(s.signals.coverage).toBe(0.25);
    expect(s.intent).toBeGreaterThan(0);
    expect(s.reasons.some((r: any) => r.category === 'ROLLUP')).toBe(true);
  });

  it('answers the sales tool: roles covered, missing, engaged members and suggestions', async () => {
    const data = await ok(
      gql(
        `query($id: ID!) { account(id: $id) { buyingGroups {
      name requiredRoles score completeness engagedCompleteness missingRoles
      members { role engaged lastActivityAt contact { email } score { total } }
      suggestedContacts(role: TECHNICAL_EVALUATOR) { email } } } }`,
        { id: acme },
      ),
    );
    const [group] = data.account.buyingGroups;
    expect(group).toMatchObject({
      name: 'Platform',
      completeness: 0.5,
      engagedCompleteness: 0.25,
      missingRoles: ['TECHNICAL_EVALUATOR', 'ECONOMIC_BUYER'],
      suggestedContacts: [{ email: 'eng@acme.io' }],
    });
    expect(group.score).toBeGreaterThan(0);
    expect(group.score).toBeLessThanOrEqual(100);
    const byRole = Object.fromEntries(group.members.map((m: any) => [m.role, m]));
    expect(byRole.DECISION_MAKER).toMatchObject({
      engaged: true,
      contact: { email: 'cto@acme.io' },
      lastActivityAt: hoursAgo(1),
    });
    expect(byRole.CHAMPION.engaged).toBe(false);
    expect(byRole.DECISION_MAKER.score.total).toBeGreaterThan(byRole.CHAMPION.score.total);
  });

  it('orders accounts by priority from the stored total and filters on committee signals', async () => {
    const data = await ok(
      gql(`{ all: accounts(orderBy: PRIORITY_DESC) { totalCount edges { node { domain score { total } } } }
      dm: accounts(orderBy: PRIORITY_DESC, filter: { decisionMakerEngaged: true }) { edges { node { domain } } }
      low: accounts(orderBy: PRIORITY_DESC, filter: { coverageBelow: 0.1 }) { edges { node { domain } } }
      owner: accounts(orderBy: PRIORITY_DESC, filter: { ownerIds: ["rep-2"] }) { edges { node { domain } } }
      retail: accounts(orderBy: LAST_ACTIVITY_DESC, filter: { industries: ["retail"] }) { edges { node { domain } } } }`),
    );
    const totals = data.all.edges.map((e: any) => e.node.score.total);
    expect(data.all.edges.map((e: any) => e.node.domain)).toEqual(['acme.io', 'beta.io']);
    expect(totals[0]).toBeGreaterThan(totals[1]);
    expect(data.dm.edges.map((e: any) => e.node.domain)).toEqual(['acme.io']);
    expect(data.low.edges.map((e: any) => e.node.domain)).toEqual(['beta.io']);
    expect(data.owner.edges.map((e: any) => e.node.domain)).toEqual(['beta.io']);
    expect(data.retail.edges.map((e: any) => e.node.domain)).toEqual(['beta.io']);
  });

  it('counts tiers for accounts and contacts', async () => {
    const data = await ok(
      gql(
        `{ a: tierDistribution(entity: ACCOUNT) { tier count } c: tierDistribution(entity: CONTACT) { tier count } }`,
      ),
    );
    expect(data.a.reduce((n: number, t: any) => n + t.count, 0)).toBe(2);
    expect(data.c.reduce((n: number, t: any) => n + t.count, 0)).toBe(4);
    for (const { tier, count } of data.c) {
      const byFilter = await ok(
        gql(`query($t: [String!]) { contacts(filter: { tiers: $t }) { totalCount } }`, {
          t: [tier],
        }),
      );
      expect(byFilter.contacts.totalCount).toBe(count);
    }
    for (const { tier, count } of data.a) {
      const byFilter = await ok(
        gql(`query($t: [String!]) { accounts(filter: { tiers: $t }) { totalCount } }`, {
          t: [tier],
        }),
      );
      expect(byFilter.accounts.totalCount).toBe(count);
    }
  });

  it('trends, movers and the owner work queue follow the score history', async () => {
    h.clock.advance(2 * 86_400_000);
    await ok(
      gql(`mutation($a: [ActivityInput!]!) { recordActivities(activities: $a) { accepted } }`, {
        a: [
          {
            type: 'WEBINAR_ATTENDED',
            occurredAt: new Date(h.clock.now().getTime() - 60_000).toISOString(),
            email: 'solo@beta.io',
            externalId: 'b2',
          },
          {
            type: 'MEETING',
            occurredAt: new Date(h.clock.now().getTime() - 60_000).toISOString(),
            email: 'solo@beta.io',
            externalId: 'b3',
          },
        ],
      }),
    );
    await h.settled();
    const data = await ok(
      gql(
        `query($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $since: DateTimeISO!) {
      trend: accountScoreTrend(accountId: $id, from: $from, to: $to, bucket: DAY) { bucket total }
      movers: scoreMovers(since: $since, direction: UP) { account { domain } previousTotal total delta }
      queue: workQueue(ownerId: "rep-1") { kind tier waitingMinutes overdue account { domain } contact { email } } }`,
        {
          id: beta,
          from: '2026-11-19T00:00:00Z',
          to: '2026-11-22T23:00:00Z',
          since: '2026-11-21T00:00:00Z',
        },
      ),
    );
    expect(data.trend.length).toBeGreaterThanOrEqual(3);
    expect(data.trend.at(-1).total).toBeGreaterThan(data.trend[0].total);
    expect(data.movers.map((m: any) => m.account.domain)).toEqual(['beta.io']);
    expect(data.movers[0].delta).toBeCloseTo(
      data.movers[0].total - data.movers[0].previousTotal,
      6,
    );
    const lead = data.queue.find((q: any) => q.kind === 'CONTACT');
    expect(lead).toMatchObject({
      tier: 'SALES_READY',
      contact: { email: 'cto@acme.io' },
      account: { domain: 'acme.io' },
      overdue: true,
    });
    expect(lead.waitingMinutes).toBeGreaterThanOrEqual(2 * 24 * 60);
  });

  it('keeps SQL statements flat as the account page grows', async () => {
    const more = Array.from({ length: 40 }, (_, i) => ({
      domain: `more${i}.io`,
      industry: 'Software',
      employeeCount: 300,
    }));
    await ok(
      gql(`mutation($a: [AccountInput!]!) { upsertAccounts(accounts: $a) { created } }`, {
        a: more,
      }),
    );
    await h.settled();
    const query = `query($n: Int!) { accounts(orderBy: PRIORITY_DESC, first: $n) { edges { node { domain
      score { total signals { coverage } } buyingGroups { score missingRoles members { engaged score { total } contact { email } }
      suggestedContacts(role: CHAMPION) { email } } } } } }`;
    h.counter.count = 0;
    const small = await ok(gql(query, { n: 5 }));
    const five = h.counter.count;
    h.counter.count = 0;
    const large = await ok(gql(query, { n: 40 }));
    expect(small.accounts.edges).toHaveLength(5);
    expect(large.accounts.edges).toHaveLength(40);
    expect(h.counter.count).toBe(five);
  });
});
