/**
 * Defaults that spread, on a synthetic CRM export with a known generating model
 * (test/support/synthetic-crm.ts), through the API and the worker:
 * - the default tiers, set by share, hold their shares (leads 10 / 30 / 60 %, accounts the same)
 *   within ±3 points once the worker places the cut-offs, and again after scores move;
 * - tier, lifecycle stage and action agree on every stored lead;
 * - `suggestScoringModel` turns the default rules into a model whose AUC on a holdout workspace
 *   is within 0.02 of a logistic regression trained on the same outcomes.
 */
import type { WorkspaceId } from '@quorum/persistence';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { ok, type Gql } from '../support/graphql-client';
import { AS_OF, syntheticCrm, type CrmExport } from '../support/synthetic-crm';

const HOUR = 3_600_000;
const DAY = 86_400_000;

async function inBatches<T>(items: T[], size: number, send: (batch: T[]) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await send(items.slice(i, i + size));
}

/** Accounts, contacts and activities through the API; outcomes when `outcomes`. */
async function load(gql: Gql, data: CrmExport, outcomes: boolean): Promise<void> {
  await inBatches(data.accounts, 1000, (a) =>
    ok(gql(`mutation($a: [AccountInput!]!) { upsertAccounts(accounts: $a) { created } }`, { a })),
  );
  const ids = new Map<string, string>();
  await inBatches(data.contacts, 1000, async (batch) => {
    const result = await ok(
      gql(
        `mutation($c: [ContactInput!]!) { upsertContacts(contacts: $c) { contacts { id email } } }`,
        {
          c: batch.map((c) => ({
            email: c.email,
            accountDomain: c.accountDomain,
            seniority: c.seniority,
            department: c.department,
            country: c.country,
            attributes: c.attributes,
          })),
        },
      ),
    );
    for (const c of result.upsertContacts.contacts) ids.set(c.email, c.id);
  });
  const activities = data.contacts.flatMap((c) =>
    c.activities.map((a, k) => ({
      type: a.type,
      occurredAt: a.occurredAt.toISOString(),
      email: c.email,
      externalId: `${c.email}-${k}`,
      properties: a.properties,
    })),
  );
  await inBatches(activities, 1000, (a) =>
    ok(
      gql(`mutation($a: [ActivityInput!]!) { recordActivities(activities: $a) { accepted } }`, {
        a,
      }),
    ),
  );
  if (!outcomes) return;
  const converted = data.contacts.filter((c) => c.convertedAt !== null);
  await inBatches(converted, 1000, (batch) =>
    ok(
      gql(`mutation($o: [OutcomeInput!]!) { recordOutcomes(outcomes: $o) { accepted } }`, {
        o: batch.map((c) => ({
          contactId: ids.get(c.email),
          type: 'OPPORTUNITY_CREATED',
          occurredAt: c.convertedAt!.toISOString(),
          externalId: `opp-${c.email}`,
        })),
      }),
    ),
  );
}

async function shares(gql: Gql, entity: 'CONTACT' | 'ACCOUNT'): Promise<Record<string, number>> {
  const data = await ok(
    gql(`query($e: ScoredEntity!) { tierDistribution(entity: $e) { tier count } }`, { e: entity }),
  );
  const rows = data.tierDistribution as { tier: string; count: number }[];
  const total = rows.reduce((s, r) => s + r.count, 0);
  return Object.fromEntries(rows.map((r) => [r.tier, (100 * r.count) / total]));
}

function expectShares(actual: Record<string, number>, wanted: Record<string, number>) {
  for (const [tier, share] of Object.entries(wanted)) {
    expect(Math.abs((actual[tier] ?? 0) - share), `${tier}: ${actual[tier]}%`).toBeLessThanOrEqual(
      3,
    );
  }
}

/** Every stored account total, highest first. */
async function accountTotals(gql: Gql): Promise<number[]> {
  const totals: number[] = [];
  let after: string | null = null;
  do {
    const page: any = await ok(
      gql(
        `query($after: String) { accounts(first: 200, after: $after, orderBy: PRIORITY_DESC) {
          pageInfo { hasNextPage endCursor } edges { node { score { total } } } } }`,
        { after },
      ),
    );
    for (const { node } of page.accounts.edges) if (node.score) totals.push(node.score.total);
    after = page.accounts.pageInfo.hasNextPage ? page.accounts.pageInfo.endCursor : null;
  } while (after);
  return totals.sort((a, b) => b - a);
}

/**
 * Scores tied at a cut-off stay in one tier (a rep never sees two equal totals in two tiers),
 * so a tier holds its cumulative share as nearly as whole groups of ties allow: the boundary
 * placed is nearer the share than the other side of the tie group at it.
 */
function expectNearestWholeTies(
  totals: readonly number[],
  cutoff: number,
  cumulativeShare: number,
) {
  const n = totals.length;
  const placed = (100 * totals.filter((t) => t >= cutoff).length) / n;
  const above = (100 * totals.filter((t) => t > cutoff).length) / n;
  const below = totals.filter((t) => t < cutoff);
  const next = below.length ? below[0]! : null;
  const wider = next === null ? placed : (100 * totals.filter((t) => t >= next).length) / n;
  const options = [above, wider].filter((o) => o !== placed);
  for (const other of options) {
    expect(Math.abs(placed - cumulativeShare)).toBeLessThanOrEqual(
      Math.abs(other - cumulativeShare) + 1e-9,
    );
  }
}

describe('defaults that spread: tiers by share, consistent labels, a suggested rules model', () => {
  let h: ApiHarness;
  let ws: { id: string; gql: Gql };
  const data = syntheticCrm(3_000, 5);

  beforeAll(async () => {
    h = await startApiHarness({ now: new Date(AS_OF.getTime() + HOUR), withWorker: true });
    ws = await h.newWorkspace('Synthetic CRM');
    await load(ws.gql, data, false);
    await h.settled(240_000);
  }, 300_000);
  afterAll(() => h?.close());

  it('holds the default lead tiers’ shares within ±3 points once the worker places the cut-offs, and account tiers as nearly as their ties allow', async () => {
    const before = await shares(ws.gql, 'CONTACT');
    const refreshed = await h.runtime!.tierCutoffs.refresh(ws.id as WorkspaceId);
    expect(refreshed!.requeued.contacts).toBeGreaterThan(0);
    await h.settled(240_000);
    const leads = await shares(ws.gql, 'CONTACT');
    const accounts = await shares(ws.gql, 'ACCOUNT');
    console.log(
      `default tiers on a synthetic export of 3,000 contacts: leads before placing ${JSON.stringify(before)}, after ${JSON.stringify(leads)}; accounts ${JSON.stringify(accounts)}; cut-offs ${JSON.stringify(refreshed)}`,
    );
    expectShares(leads, { SALES_READY: 10, NURTURE: 30, LOW: 60 });
    // Account totals of the default model tie heavily (the roll-up caps at 100, the committee
    // counts in fives): each tier lands on the nearer side of the tie group at its cut-off.
    const totals = await accountTotals(ws.gql);
    expectNearestWholeTies(totals, refreshed!.account['HOT']!, 10);
    expectNearestWholeTies(totals, refreshed!.account['WARM']!, 40);
    expect(Math.abs(accounts['HOT']! - 10)).toBeLessThanOrEqual(3);
    const placements = await ok(
      ws.gql(`{ scoringModel { tierPlacements { entity tier min topShare placed scores } } }`),
    );
    expect(placements.scoringModel.tierPlacements).toContainEqual(
      expect.objectContaining({
        entity: 'CONTACT',
        tier: 'SALES_READY',
        topShare: 0.1,
        placed: true,
        scores: 3000,
      }),
    );
    // Placed again on unchanged scores, nothing moves.
    expect((await h.runtime!.tierCutoffs.refresh(ws.id as WorkspaceId))!.requeued).toEqual({
      contacts: 0,
      accounts: 0,
    });
  }, 300_000);

  it('never stores a top-tier lead whose action is not to route it now, or a qualified lead without engagement', async () => {
    let after: string | null = null;
    let checked = 0;
    do {
      const page: any = await ok(
        ws.gql(
          `query($after: String) { contacts(first: 200, after: $after, orderBy: EMAIL_ASC) { pageInfo { hasNextPage endCursor }
            edges { node { lifecycleStage score { tier action engagement override { ruleId } } } } } }`,
          { after },
        ),
      );
      for (const { node } of page.contacts.edges) {
        checked++;
        if (node.score.tier === 'SALES_READY' && node.score.override === null) {
          expect(node.score.action).toBe('ROUTE_NOW');
        }
        if (node.lifecycleStage === 'MQL' || node.lifecycleStage === 'SQL') {
          expect(node.score.engagement).toBeGreaterThanOrEqual(25);
        }
      }
      after = page.contacts.pageInfo.hasNextPage ? page.contacts.pageInfo.endCursor : null;
    } while (after);
    expect(checked).toBe(3000);
  }, 120_000);
  it('keeps the shares as scores move', async () => {
    h.clock.advance(2 * DAY);
    const burst = data.contacts.filter((_, i) => i % 4 === 0);
    const activities = burst.flatMap((c, i) => [
      {
        type: 'PAGE_VIEW',
        occurredAt: new Date(AS_OF.getTime() + DAY).toISOString(),
        email: c.email,
        externalId: `burst-${i}-a`,
        properties: { url: '/pricing' },
      },
      {
        type: 'WEBINAR_ATTENDED',
        occurredAt: new Date(AS_OF.getTime() + DAY).toISOString(),
        email: c.email,
        externalId: `burst-${i}-b`,
      },
    ]);
    await inBatches(activities, 1000, (a) =>
      ok(
        ws.gql(
          `mutation($a: [ActivityInput!]!) { recordActivities(activities: $a) { accepted } }`,
          { a },
        ),
      ),
    );
    await h.settled(240_000);
    const drifted = await shares(ws.gql, 'CONTACT');
    await h.runtime!.tierCutoffs.refresh(ws.id as WorkspaceId);
    await h.settled(240_000);
    const leads = await shares(ws.gql, 'CONTACT');
    console.log(
      `after a burst of activity: leads ${JSON.stringify(drifted)} before placing again, ${JSON.stringify(leads)} after`,
    );
    expectShares(leads, { SALES_READY: 10, NURTURE: 30, LOW: 60 });
  }, 300_000);
});

describe('suggestScoringModel on the same kind of export', () => {
  const VALIDATE = `query($v: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
    modelValidation(versionId: $v, from: $from, to: $to, horizonDays: 60) { auc total conversions } }`;
  const window = { from: AS_OF.toISOString(), to: new Date(AS_OF.getTime() + DAY).toISOString() };
  let h: ApiHarness;
  let train: Gql;
  let holdout: Gql;

  beforeAll(async () => {
    // Outcomes come up to 51 days after the as-of moment: the clock is past them.
    h = await startApiHarness({ now: new Date(AS_OF.getTime() + 70 * DAY) });
    train = (await h.newWorkspace('Train')).gql;
    holdout = (await h.newWorkspace('Holdout')).gql;
    await load(train, syntheticCrm(3_000, 11), true);
    await load(holdout, syntheticCrm(2_000, 12), true);
  }, 300_000);
  afterAll(() => h?.close());

  it('re-weights the rules and adds strong signals, within 0.02 AUC of a logistic regression on a holdout', async () => {
    const suggested = await ok(
      train(
        `mutation($i: SuggestScoringModelInput!) { suggestScoringModel(input: $i) {
          draft { id status definitionJson } validation { auc } activeValidation { auc } summary
          changes { ruleId section before after why } } }`,
        { i: { ...window, horizonDays: 60 } },
      ),
    );
    const suggestion = suggested.suggestScoringModel;
    expect(suggestion.draft.status).toBe('DRAFT');
    const added = suggestion.changes.filter((c: any) => c.before === null);
    expect(added.length).toBeGreaterThan(0);
    expect(added.every((c: any) => /converted, against/.test(c.why))).toBe(true);
    expect(added.map((c: any) => c.ruleId)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^suggested\.account-attributes-plan\.enterprise$/),
      ]),
    );
    const logistic = await ok(
      train(
        `mutation($i: TrainPredictiveModelInput!) { trainPredictiveModel(input: $i) { id definitionJson predictive { auc } } }`,
        { i: { ...window, horizonDays: 60, kind: 'LOGISTIC_REGRESSION' } },
      ),
    );
    const aucOn = async (definition: unknown) => {
      const copy = await ok(
        holdout(
          `mutation($d: JSONObject!) { createScoringModelDraft(definitionJson: $d) { id } }`,
          {
            d: definition,
          },
        ),
      );
      const data = await ok(holdout(VALIDATE, { v: copy.createScoringModelDraft.id, ...window }));
      return data.modelValidation.auc as number;
    };
    const rules = await ok(holdout(`{ scoringModel { id } }`));
    const defaultAuc = (await ok(holdout(VALIDATE, { v: rules.scoringModel.id, ...window })))
      .modelValidation.auc as number;
    const suggestedAuc = await aucOn(suggestion.draft.definitionJson);
    const logisticAuc = await aucOn(logistic.trainPredictiveModel.definitionJson);
    console.log(
      `suggested rules model on a holdout of 2,000 contacts: AUC ${suggestedAuc.toFixed(4)}, logistic regression ${logisticAuc.toFixed(4)}, default rules ${defaultAuc.toFixed(4)} (${suggestion.summary}); ${added.length} rules added`,
    );
    expect(suggestedAuc).toBeGreaterThanOrEqual(logisticAuc - 0.02);
    expect(suggestedAuc).toBeGreaterThan(defaultAuc);
  }, 300_000);
});
