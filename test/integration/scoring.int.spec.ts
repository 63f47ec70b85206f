import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startApiHarness, type ApiHarness } from '../support/api-harness';
import { ok, type Gql } from '../support/graphql-client';

/** DESIGN.md worked example 1, as a model a RevOps engineer would write (no decay). */
const workedExampleModel = {
  fit: {
    max: 100,
    rules: [
      {
        id: 'director',
        label: 'Director title',
        field: 'contact.title',
        op: 'CONTAINS',
        value: 'director',
        points: 20,
      },
      {
        id: 'industry',
        label: 'Target industry',
        field: 'account.industry',
        op: 'IN',
        value: ['software', 'saas'],
        points: 15,
      },
      {
        id: 'size',
        label: 'Ideal company size',
        field: 'account.employeeCount',
        op: 'BETWEEN',
        value: [200, 2000],
        points: 10,
      },
    ],
  },
  engagement: {
    max: 100,
    halfLifeDays: null,
    lookbackDays: null,
    rules: [
      { id: 'click', label: 'Clicked email', activityType: 'EMAIL_CLICK', points: 5 },
      {
        id: 'pricing',
        label: 'Visited pricing page',
        activityType: 'PAGE_VIEW',
        where: [{ property: 'url', op: 'CONTAINS', value: '/pricing' }],
        points: 10,
      },
    ],
  },
  negative: { rules: [] },
  tiers: [
    { name: 'SALES_READY', min: 60 },
    { name: 'NURTURE', min: 30 },
    { name: 'LOW', min: 0 },
  ],
  grades: [
    { grade: 'A', minFit: 40 },
    { grade: 'B', minFit: 0 },
  ],
  quadrant: { fitThreshold: 30, engagementThreshold: 10 },
  lifecycle: { mql: 60, sql: 90, dormantDays: 30 },
};

const SCORE = `score { fit engagement negative total tier grade quadrant action modelVersionId reasons { ruleId points activityCount kind } }`;

describe('scoring models and stored lead scores through the API', () => {
  let h: ApiHarness;
  let gql: Gql;
  let contactId: string;
  let defaultVersionId: string;
  let wsId: string;

  beforeAll(async () => {
    h = await startApiHarness({ withWorker: true, now: new Date('2026-11-20T12:00:00Z') });
    ({ gql, id: wsId } = await h.newWorkspace());
  });
  afterAll(() => h?.close());

  it('starts every workspace with a published default model, audited', async () => {
    const data = await ok(
      gql(
        `{ scoringModel { id version status isActive definition { tiers { name min } engagement { halfLifeDays } } } scoringModelAuditLog { totalCount edges { node { action toVersionId actorKeyId } } } }`,
      ),
    );
    defaultVersionId = data.scoringModel.id;
    expect(data.scoringModel).toMatchObject({ version: 1, status: 'PUBLISHED', isActive: true });
    expect(data.scoringModel.definition.tiers.map((t: any) => t.min)).toEqual([60, 30, 0]);
    expect(data.scoringModel.definition.engagement.halfLifeDays).toBe(30);
    expect(data.scoringModelAuditLog.edges[0].node).toEqual({
      action: 'PUBLISH',
      toVersionId: defaultVersionId,
      actorKeyId: null,
    });
  });

  it('exports a model as JSON and imports it back unchanged', async () => {
    const exported = await ok(gql(`{ scoringModel { definitionJson } }`));
    const imported = await ok(
      gql(
        `mutation($d: JSONObject!) { createScoringModelDraft(definitionJson: $d) { definitionJson status } }`,
        {
          d: exported.scoringModel.definitionJson,
        },
      ),
    );
    expect(imported.createScoringModelDraft.definitionJson).toEqual(
      exported.scoringModel.definitionJson,
    );
  });

  it('refuses an invalid model with the path of each problem', async () => {
    const bad = structuredClone(workedExampleModel) as any;
    bad.engagement.rules[1].where[0].op = 'MATCHES';
    bad.engagement.rules[1].where[0].value = '([unclosed';
    bad.fit.rules[0].field = 'contact.shoeSize';
    const result = await gql(
      `mutation($d: JSONObject!) { createScoringModelDraft(definitionJson: $d) { id } }`,
      { d: bad },
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const paths = (result.errors?.[0]?.extensions?.['issues'] as { path: string }[]).map(
      (i) => i.path,
    );
    expect(paths).toContain('definition.engagement.rules[1].where[0].value');
    expect(paths).toContain('definition.fit.rules[0].field');
  });

  it('reproduces worked example 1 exactly through contact.score after publish', async () => {
    const draft = await ok(
      gql(
        `mutation($d: ScoringModelDefinitionInput!) { createScoringModelDraft(definition: $d, description: "worked example") { id version status } }`,
        { d: workedExampleModel },
      ),
    );
    expect(draft.createScoringModelDraft).toMatchObject({ version: 3, status: 'DRAFT' });
    await ok(
      gql(
        `mutation { upsertAccounts(accounts: [{ domain: "acme.com", industry: "Software", employeeCount: 500 }]) { created } }`,
      ),
    );
    const c = await ok(
      gql(
        `mutation { upsertContacts(contacts: [{ email: "dana@acme.com", title: "Director of Operations" }]) { contacts { id } } }`,
      ),
    );
    contactId = c.upsertContacts.contacts[0].id;
    const published = await ok(
      gql(`mutation($v: ID!) { publishScoringModel(versionId: $v) { id status isActive } }`, {
        v: draft.createScoringModelDraft.id,
      }),
    );
    expect(published.publishScoringModel).toMatchObject({ status: 'PUBLISHED', isActive: true });
    await h.settled();

    const recorded = await ok(
      gql(`mutation { recordActivities(activities: [
      { type: EMAIL_CLICK, occurredAt: "2026-11-19T09:00:00Z", email: "dana@acme.com", externalId: "w1" },
      { type: PAGE_VIEW, occurredAt: "2026-11-19T09:05:00Z", email: "dana@acme.com", externalId: "w2", properties: { url: "https://acme.example/pricing" } }
    ]) { accepted scoringDelayed } }`),
    );
    expect(recorded.recordActivities).toEqual({ accepted: 2, scoringDelayed: false });

    const score = await eventually(async () => {
      const data = await ok(
        gql(`query($id: ID!) { contact(id: $id) { ${SCORE} } }`, { id: contactId }),
      );
      return data.contact.score?.total === 60 ? data.contact.score : undefined;
    });
    expect(score).toMatchObject({
      fit: 45,
      engagement: 15,
      negative: 0,
      total: 60,
      tier: 'SALES_READY',
      grade: 'A',
      quadrant: 'HIGH_FIT_HIGH_ENGAGEMENT',
      action: 'ROUTE_NOW',
      modelVersionId: draft.createScoringModelDraft.id,
    });
    expect(score.reasons.map((r: any) => [r.ruleId, r.points])).toEqual([
      ['director', 20],
      ['industry', 15],
      ['pricing', 10],
      ['size', 10],
      ['click', 5],
    ]);
    expect(score.reasons.reduce((sum: number, r: any) => sum + r.points, 0)).toBe(score.total);
  });

  it('records history and the lifecycle move to MQL', async () => {
    const data = await ok(
      gql(
        `query($id: ID!) { contact(id: $id) { lifecycleStage scoreHistory { totalCount edges { node { newTotal newTier cause } } } } }`,
        { id: contactId },
      ),
    );
    expect(data.contact.lifecycleStage).toBe('MQL');
    expect(data.contact.scoreHistory.edges[0].node).toEqual({
      newTotal: 60,
      newTier: 'SALES_READY',
      cause: 'ACTIVITY',
    });
    const events = await h.db.dataSource.query(
      'SELECT from_stage, to_stage, reactivated FROM lifecycle_events WHERE contact_id = $1',
      [contactId],
    );
    expect(events).toEqual([{ from_stage: 'LEAD', to_stage: 'MQL', reactivated: false }]);
  });

  it('backtests one lead with scoreAsOf, using only the activities up to that moment', async () => {
    const data = await ok(
      gql(
        `query($id: ID!) {
      contact(id: $id) { before: scoreAsOf(at: "2026-11-19T09:01:00Z") { total engagement } after: scoreAsOf(at: "2026-11-19T10:00:00Z") { total } } }`,
        { id: contactId },
      ),
    );
    expect(data.contact.before).toEqual({ total: 50, engagement: 5 });
    expect(data.contact.after.total).toBe(60);
  });

  it('previews a draft next to the active version with tier moves', async () => {
    const stricter = structuredClone(workedExampleModel);
    stricter.tiers[0]!.min = 70;
    const draft = await ok(
      gql(`mutation($d: JSONObject!) { createScoringModelDraft(definitionJson: $d) { id } }`, {
        d: stricter,
      }),
    );
    const preview = await ok(
      gql(
        `query($v: ID!, $c: [ID!]) { previewScoringModel(versionId: $v, contactIds: $c) {
      movedUp movedDown unchanged rows { contact { email } active { tier total } draft { tier total } } } }`,
        { v: draft.createScoringModelDraft.id, c: [contactId] },
      ),
    );
    expect(preview.previewScoringModel).toEqual({
      movedUp: 0,
      movedDown: 1,
      unchanged: 0,
      rows: [
        {
          contact: { email: 'dana@acme.com' },
          active: { tier: 'SALES_READY', total: 60 },
          draft: { tier: 'NURTURE', total: 60 },
        },
      ],
    });
  });

  it('keeps published versions immutable and rolls back with an audit entry and a rescore', async () => {
    const versions = await ok(gql(`{ scoringModelVersions { id version status isActive } }`));
    const published = versions.scoringModelVersions.find((v: any) => v.version === 3);
    const immutable = await gql(
      `mutation($v: ID!, $d: JSONObject!) { updateScoringModelDraft(versionId: $v, definitionJson: $d) { id } }`,
      { v: published.id, d: workedExampleModel },
    );
    expect(immutable.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'versionId',
    });

    const rolled = await ok(
      gql(`mutation($v: ID!) { rollbackScoringModel(toVersionId: $v) { id isActive } }`, {
        v: defaultVersionId,
      }),
    );
    expect(rolled.rollbackScoringModel).toEqual({ id: defaultVersionId, isActive: true });
    const audit = await ok(
      gql(
        `{ scoringModelAuditLog(first: 1) { totalCount edges { node { action fromVersionId toVersionId actorKeyId } } } }`,
      ),
    );
    expect(audit.scoringModelAuditLog.totalCount).toBe(3);
    expect(audit.scoringModelAuditLog.edges[0].node).toMatchObject({
      action: 'ROLLBACK',
      fromVersionId: published.id,
      toVersionId: defaultVersionId,
    });
    expect(audit.scoringModelAuditLog.edges[0].node.actorKeyId).not.toBeNull();

    const rescored = await eventually(async () => {
      const data = await ok(
        gql(`query($id: ID!) { contact(id: $id) { score { modelVersionId total } } }`, {
          id: contactId,
        }),
      );
      return data.contact.score.modelVersionId === defaultVersionId
        ? data.contact.score
        : undefined;
    });
    expect(rescored.total).not.toBe(60);
    const history = await ok(
      gql(
        `query($id: ID!) { contact(id: $id) { scoreHistory(first: 1) { edges { node { cause } } } } }`,
        { id: contactId },
      ),
    );
    expect(history.contact.scoreHistory.edges[0].node.cause).toBe('MODEL_ROLLED_BACK');
  });

  it('orders and filters contacts by stored score', async () => {
    // A contact no rescore has reached (written past the API, so nothing queues it): its
    // score is null, and it sorts last.
    await h.db.dataSource.query(
      `INSERT INTO contacts (workspace_id, id, email) VALUES ($1, gen_random_uuid(), 'quiet@acme.com')`,
      [wsId],
    );
    const data = await ok(
      gql(
        `{ contacts(orderBy: SCORE_DESC, first: 10) { edges { node { email score { total } } } } scored: contacts(filter: { minTotal: 1 }) { totalCount } }`,
      ),
    );
    expect(data.contacts.edges[0].node.email).toBe('dana@acme.com');
    expect(data.contacts.edges.at(-1).node.score).toBeNull();
    expect(data.scored.totalCount).toBe(1);
  });
});
