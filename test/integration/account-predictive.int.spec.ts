/**
 * Account-level predictive models, through the API and the worker: outcomes recorded per
 * account train a model from the accounts' fields, their contacts' activity and their buying
 * roles; it is previewed, validated, published and rolled back like a lead model, and its
 * reasons name the contacts behind each figure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { ok, type Gql } from '../support/graphql-client';
import { AS_OF, syntheticCrm } from '../support/synthetic-crm';

const DAY = 86_400_000;
const window = {
  from: AS_OF.toISOString(),
  to: new Date(AS_OF.getTime() + DAY).toISOString(),
  horizonDays: 60,
};
const REASONS = `total tier reasons { ruleId label category kind points }`;

async function inBatches<T>(items: T[], size: number, send: (batch: T[]) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await send(items.slice(i, i + size));
}

const hundredths = (reasons: { points: number }[]) =>
  reasons.reduce((s, r) => s + Math.round(r.points * 100), 0);

describe('account-level predictive models', () => {
  let h: ApiHarness;
  let gql: Gql;
  let rulesId: string;
  let draftId: string;
  let sampleAccount: string;
  const data = syntheticCrm(4_000, 21);

  beforeAll(async () => {
    h = await startApiHarness({ now: new Date(AS_OF.getTime() + 70 * DAY), withWorker: true });
    gql = (await h.newWorkspace('Accounts')).gql;
    const accountIds = new Map<string, string>();
    await inBatches(data.accounts, 1000, async (a) => {
      const result = await ok(
        gql(
          `mutation($a: [AccountInput!]!) { upsertAccounts(accounts: $a) { accounts { id domain } } }`,
          { a },
        ),
      );
      for (const x of result.upsertAccounts.accounts) accountIds.set(x.domain, x.id);
    });
    const contactIds = new Map<string, string>();
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
              attributes: c.attributes,
            })),
          },
        ),
      );
      for (const x of result.upsertContacts.contacts) contactIds.set(x.email, x.id);
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
    // A buying group where an account has a senior contact: its decision maker and champion.
    for (const account of data.accounts) {
      const people = data.contacts.filter((c) => c.accountDomain === account.domain);
      const senior = people.find((c) => c.seniority === 'C-Level' || c.seniority === 'VP');
      if (!senior || people.length < 2) continue;
      const group = await ok(
        gql(`mutation($i: CreateBuyingGroupInput!) { createBuyingGroup(input: $i) { id } }`, {
          i: {
            accountId: accountIds.get(account.domain),
            name: 'Purchase',
            requiredRoles: ['DECISION_MAKER', 'CHAMPION'],
          },
        }),
      );
      const champion = people.find((c) => c !== senior)!;
      for (const [person, role] of [
        [senior, 'DECISION_MAKER'],
        [champion, 'CHAMPION'],
      ] as const) {
        await ok(
          gql(
            `mutation($g: ID!, $c: ID!, $r: BuyingRole!) { setBuyingGroupMember(buyingGroupId: $g, contactId: $c, role: $r) { role } }`,
            {
              g: group.createBuyingGroup.id,
              c: contactIds.get(person.email),
              r: role,
            },
          ),
        );
      }
    }
    // The account converts when one of its contacts does: an opportunity for the account.
    const outcomes = data.accounts.flatMap((account) => {
      const dates = data.contacts
        .filter((c) => c.accountDomain === account.domain && c.convertedAt)
        .map((c) => c.convertedAt!.getTime());
      return dates.length
        ? [
            {
              accountId: accountIds.get(account.domain),
              type: 'OPPORTUNITY_CREATED',
              occurredAt: new Date(Math.min(...dates)).toISOString(),
              externalId: `opp-${account.domain}`,
            },
          ]
        : [];
    });
    await inBatches(outcomes, 1000, (o) =>
      ok(
        gql(`mutation($o: [OutcomeInput!]!) { recordOutcomes(outcomes: $o) { accepted } }`, { o }),
      ),
    );
    await h.settled(240_000);
    rulesId = (await ok(gql(`{ scoringModel { id } }`))).scoringModel.id;
  }, 400_000);
  afterAll(() => h?.close());

  it('trains an account model from account outcomes, keeping the lead model as it was', async () => {
    const trained = await ok(
      gql(
        `mutation($i: TrainPredictiveModelInput!) { trainPredictiveModel(input: $i) { id description
          predictive { kind } accountPredictive { kind mode auc observations conversions selectionReason
          importance { feature group } featureCount } } }`,
        { i: { ...window, entity: 'ACCOUNT' } },
      ),
    );
    const version = trained.trainPredictiveModel;
    draftId = version.id;
    expect(version.predictive).toBeNull();
    expect(version.description).toMatch(/account model/);
    const summary = version.accountPredictive;
    console.log(
      `account model: ${summary.kind}, cross-validated AUC ${summary.auc.toFixed(3)} on ${summary.observations} accounts (${summary.conversions} converted); ${summary.selectionReason}`,
    );
    expect(summary.auc).toBeGreaterThan(0.65);
    expect(summary.observations).toBeGreaterThan(400);
    const groups: string[] = summary.importance.map((f: any) => f.group as string);
    expect(groups.some((g) => g.startsWith('activity.'))).toBe(true);
    expect(groups.some((g) => g.startsWith('account.'))).toBe(true);
  }, 300_000);

  it('validates accounts against account outcomes, next to the rules roll-up', async () => {
    const validate = async (v: string) =>
      (
        await ok(
          gql(
            `query($v: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { modelValidation(versionId: $v, from: $from, to: $to, horizonDays: 60, entity: ACCOUNT) { auc total probabilityMethod overlapsTraining } }`,
            { v, from: window.from, to: window.to },
          ),
        )
      ).modelValidation;
    const draft = await validate(draftId);
    const rules = await validate(rulesId);
    console.log(
      `account validation: model AUC ${draft.auc.toFixed(3)}, rules roll-up ${rules.auc.toFixed(3)} over ${draft.total} accounts`,
    );
    expect(draft.probabilityMethod).toBe('model-probability');
    expect(draft.overlapsTraining).toBe(true);
    expect(rules.probabilityMethod).toBe('platt-scaling-5-fold');
    expect(draft.auc).toBeGreaterThan(rules.auc);
  }, 120_000);

  it('previews accounts under the draft with reasons that name the contacts behind them', async () => {
    const preview = await ok(
      gql(
        `query($v: ID!) { previewAccountScoring(versionId: $v, sampleSize: 40) { movedUp movedDown unchanged
          rows { account { id } active { ${REASONS} } draft { ${REASONS} } } } }`,
        { v: draftId },
      ),
    );
    const rows = preview.previewAccountScoring.rows;
    expect(rows).toHaveLength(40);
    for (const row of rows) {
      expect(hundredths(row.draft.reasons)).toBe(Math.round(row.draft.total * 100));
      expect(row.draft.reasons.find((r: any) => r.kind === 'BASELINE').label).toMatch(
        /^Base rate: \d+\.\d% of accounts converted$/,
      );
      expect(row.active.reasons.some((r: any) => r.category === 'PREDICTIVE')).toBe(false);
    }
    const named = rows
      .flatMap((r: any) => r.draft.reasons)
      .filter((r: any) => /@acct21-/.test(r.label));
    expect(named.length).toBeGreaterThan(0);
    sampleAccount = rows[0].account.id;
  }, 120_000);

  it('publishes: accounts are rescored by the account model; rolls back: the roll-up returns', async () => {
    await ok(
      gql(`mutation($v: ID!) { publishScoringModel(versionId: $v) { id } }`, { v: draftId }),
    );
    await h.settled(240_000);
    const score = async () =>
      (
        await ok(
          gql(`query($id: ID!) { account(id: $id) { score { modelVersionId ${REASONS} } } }`, {
            id: sampleAccount,
          }),
        )
      ).account.score;
    const published = await score();
    expect(published.modelVersionId).toBe(draftId);
    expect(hundredths(published.reasons)).toBe(Math.round(published.total * 100));
    expect(published.reasons.some((r: any) => r.kind === 'BASELINE')).toBe(true);
    await ok(
      gql(`mutation($v: ID!) { rollbackScoringModel(toVersionId: $v) { id } }`, { v: rulesId }),
    );
    await h.settled(240_000);
    const rolledBack = await score();
    expect(rolledBack.modelVersionId).toBe(rulesId);
    expect(rolledBack.reasons.some((r: any) => r.category === 'PREDICTIVE')).toBe(false);
  }, 300_000);
});
