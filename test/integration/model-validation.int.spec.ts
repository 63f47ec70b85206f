import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { ok, type Gql } from '../support/graphql-client';

const FROM = '2026-08-01T00:00:00Z';
const TO = '2026-08-02T00:00:00Z';
const REPORT = `total conversions baseRate auc brier monotonic verdict reason probabilityMethod
  tiers { tier count conversions rate } calibration { bin count meanPredicted observedRate } lift { decile count conversions lift }`;

async function seed(
  gql: Gql,
  people: { email: string; before: string[]; after: string[]; converts: boolean }[],
) {
  const contacts = await ok(
    gql(
      `mutation($c: [ContactInput!]!) { upsertContacts(contacts: $c) { contacts { id email } } }`,
      {
        c: people.map((p) => ({ email: p.email })),
      },
    ),
  );
  const ids = new Map<string, string>(
    contacts.upsertContacts.contacts.map((c: any) => [c.email, c.id]),
  );
  let n = 0;
  const activities = people.flatMap((p) => [
    {
      type: 'EMAIL_OPEN',
      occurredAt: '2026-07-01T00:00:00Z',
      email: p.email,
      externalId: `base-${n++}`,
    },
    ...p.before.map((type) => ({
      type,
      occurredAt: '2026-07-20T00:00:00Z',
      email: p.email,
      externalId: `b-${n++}`,
    })),
    ...p.after.map((type) => ({
      type,
      occurredAt: '2026-08-05T00:00:00Z',
      email: p.email,
      externalId: `a-${n++}`,
    })),
  ]);
  await ok(
    gql(`mutation($a: [ActivityInput!]!) { recordActivities(activities: $a) { accepted } }`, {
      a: activities,
    }),
  );
  const outcomes = people
    .filter((p) => p.converts)
    .map((p, i) => ({
      contactId: ids.get(p.email),
      type: 'OPPORTUNITY_CREATED',
      occurredAt: '2026-08-20T00:00:00Z',
      externalId: `o-${i}`,
    }));
  await ok(
    gql(`mutation($o: [OutcomeInput!]!) { recordOutcomes(outcomes: $o) { accepted } }`, {
      o: outcomes,
    }),
  );
  return (await ok(gql(`{ scoringModel { id } }`))).scoringModel.id as string;
}

describe('modelValidation, compareModels and scoreLiftByChannel', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness({ now: new Date('2026-11-20T00:00:00Z') });
  });
  afterAll(() => h?.close());

  it('finds the default model predictive when engaged leads convert', async () => {
    const { gql } = await h.newWorkspace();
    const hot = Array.from({ length: 60 }, (_, i) => ({
      email: `hot${i}@buyer${i}.io`,
      before: ['DEMO_REQUEST', 'PAGE_VIEW', 'WEBINAR_ATTENDED', 'EMAIL_CLICK'],
      after: [],
      converts: i % 3 !== 0,
    }));
    const cold = Array.from({ length: 60 }, (_, i) => ({
      email: `cold${i}@lurker${i}.io`,
      before: [],
      after: [],
      converts: i < 3,
    }));
    const versionId = await seed(gql, [...hot, ...cold]);
    const data = await ok(
      gql(
        `query($v: ID!) { modelValidation(versionId: $v, from: "${FROM}", to: "${TO}", horizonDays: 60) { ${REPORT} } }`,
        { v: versionId },
      ),
    );
    const r = data.modelValidation;
    expect(r).toMatchObject({
      total: 120,
      conversions: 43,
      verdict: 'predictive',
      monotonic: true,
      probabilityMethod: 'platt-scaling-5-fold',
    });
    expect(r.baseRate).toBeCloseTo(43 / 120, 6);
    // By hand: hot converters beat every cold non-converter (40 × 57), ties count half
    // (40 × 20 among hot, 3 × 57 among cold): (2280 + 400 + 85.5) / (43 × 77).
    expect(r.auc).toBeCloseTo(2765.5 / 3311, 9);
    expect(r.brier).toBeGreaterThan(0);
    expect(r.brier).toBeLessThan(0.25);
    expect(r.tiers.reduce((n: number, t: any) => n + t.count, 0)).toBe(120);
    expect(r.calibration.reduce((n: number, b: any) => n + b.count, 0)).toBe(120);
    expect(r.reason).toMatch(/AUC/);

    const comparison = await ok(
      gql(
        `query($v: ID!) { compareModels(championId: $v, challengerId: $v, from: "${FROM}", to: "${TO}", horizonDays: 60) { aucDifference summary champion { auc } challenger { auc } } }`,
        { v: versionId },
      ),
    );
    expect(comparison.compareModels.aucDifference).toBe(0);
    expect(comparison.compareModels.champion.auc).toBe(r.auc);
  });

  it('lets nothing after the as-of moment leak in', async () => {
    const { gql } = await h.newWorkspace();
    // Converters only show intent AFTER the window starts: an honest as-of score cannot see it.
    const late = Array.from({ length: 35 }, (_, i) => ({
      email: `late${i}@l${i}.io`,
      before: [],
      after: ['DEMO_REQUEST', 'PAGE_VIEW', 'MEETING'],
      converts: true,
    }));
    const rest = Array.from({ length: 35 }, (_, i) => ({
      email: `rest${i}@r${i}.io`,
      before: [],
      after: [],
      converts: false,
    }));
    const versionId = await seed(gql, [...late, ...rest]);
    const data = await ok(
      gql(
        `query($v: ID!) { modelValidation(versionId: $v, from: "${FROM}", to: "${TO}", horizonDays: 60) { ${REPORT} } }`,
        { v: versionId },
      ),
    );
    expect(data.modelValidation.total).toBe(70);
    expect(data.modelValidation.conversions).toBe(35);
    // Identical as-of scores for everyone: no better than chance.
    expect(data.modelValidation.auc).toBeCloseTo(0.5, 6);
    expect(data.modelValidation.verdict).toBe('not predictive');
  });

  it('shows which channels bring leads that convert', async () => {
    const { gql } = await h.newWorkspace();
    const people = ['a', 'b', 'c', 'd'].map((x, i) => ({ email: `${x}@src${i}.io`, id: '' }));
    const stored = await ok(
      gql(`mutation($c: [ContactInput!]!) { upsertContacts(contacts: $c) { contacts { id } } }`, {
        c: people.map((p) => ({ email: p.email })),
      }),
    );
    await ok(
      gql(`mutation($a: [ActivityInput!]!) { recordActivities(activities: $a) { accepted } }`, {
        a: people.map((p, i) => ({
          type: 'FORM_SUBMIT',
          occurredAt: '2026-09-01T00:00:00Z',
          email: p.email,
          externalId: `f${i}`,
          properties: { channel: i < 2 ? 'webinar' : 'paid-social' },
        })),
      }),
    );
    await ok(
      gql(`mutation($o: [OutcomeInput!]!) { recordOutcomes(outcomes: $o) { accepted } }`, {
        o: [
          {
            contactId: stored.upsertContacts.contacts[0].id,
            type: 'WON',
            occurredAt: '2026-10-01T00:00:00Z',
            externalId: 'w1',
          },
        ],
      }),
    );
    const data = await ok(
      gql(
        `{ scoreLiftByChannel(from: "2026-08-01T00:00:00Z", to: "2026-10-01T00:00:00Z") { source leads conversions conversionRate lift } }`,
      ),
    );
    expect(data.scoreLiftByChannel).toEqual([
      { source: 'paid-social', leads: 2, conversions: 0, conversionRate: 0, lift: 0 },
      { source: 'webinar', leads: 2, conversions: 1, conversionRate: 0.5, lift: 2 },
    ]);
  });
});
