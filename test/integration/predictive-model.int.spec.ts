import type { Worker } from 'node:worker_threads';
import { Database, type WorkspaceId } from '@quorum/persistence';
import { PredictiveTrainingService, ValidationDatasetService } from '@quorum/services';
import { defaultModelDefinition, extractFeatures, type FeatureSetV2 } from '@quorum/scoring';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { ok, type Gql } from '../support/graphql-client';

const FROM = '2026-08-01T00:00:00Z';
const TO = '2026-08-02T00:00:00Z';
const HORIZON = 60;
const CONTACTS = 1000;
const SCORE = `score { total tier modelVersionId reasons { ruleId label category points kind activityCount } }`;
const TRAIN = `mutation($i: TrainPredictiveModelInput!) { trainPredictiveModel(input: $i) {
  id status description predictive { mode kind selectionReason auc brier meanFoldAuc observations
  conversions baseRate lambda durationMs horizonDays fields folds { fold rows conversions auc brier }
  candidates { kind auc } importance { feature group importance } featureCount
  skippedFeatures { path reason } outOfTime { unavailable } } } }`;

/** A seeded generator, so the synthetic workspace is the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Person {
  email: string;
  seniority: 'VP' | 'Manager';
  demoBefore: boolean;
  converts: boolean;
}

/**
 * Conversion depends on seniority and on a demo request before the window starts:
 * log-odds −1.5 + 1.5·[VP] + 1.5·[demo]. Every converter also has a MEETING after the
 * window start (before converting): a perfect predictor that only look-ahead could see.
 */
function people(n: number, seed: number): Person[] {
  const rnd = lcg(seed);
  return Array.from({ length: n }, (_, i) => {
    const vp = i % 2 === 0;
    const demo = i % 3 === 0;
    const p = 1 / (1 + Math.exp(-(-1.5 + (vp ? 1.5 : 0) + (demo ? 1.5 : 0))));
    return {
      email: `p${i}@co${i % 97}.io`,
      seniority: vp ? 'VP' : 'Manager',
      demoBefore: demo,
      converts: rnd() < p,
    };
  });
}

async function inBatches<T>(items: T[], size: number, send: (batch: T[]) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await send(items.slice(i, i + size));
}

async function seed(gql: Gql, list: Person[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  await inBatches(list, 500, async (batch) => {
    const data = await ok(
      gql(
        `mutation($c: [ContactInput!]!) { upsertContacts(contacts: $c) { contacts { id email } } }`,
        { c: batch.map((p) => ({ email: p.email, seniority: p.seniority })) },
      ),
    );
    for (const c of data.upsertContacts.contacts) ids.set(c.email, c.id);
  });
  let n = 0;
  const activities = list.flatMap((p) => [
    { type: 'EMAIL_OPEN', occurredAt: '2026-07-01T00:00:00Z', email: p.email },
    ...(p.demoBefore
      ? [{ type: 'DEMO_REQUEST', occurredAt: '2026-07-20T00:00:00Z', email: p.email }]
      : []),
    ...(p.converts
      ? [{ type: 'MEETING', occurredAt: '2026-08-05T00:00:00Z', email: p.email }]
      : []),
  ]);
  await inBatches(
    activities.map((a) => ({ ...a, externalId: `x${n++}` })),
    1000,
    (a) =>
      ok(
        gql(`mutation($a: [ActivityInput!]!) { recordActivities(activities: $a) { accepted } }`, {
          a,
        }),
      ),
  );
  const outcomes = list
    .filter((p) => p.converts)
    .map((p, i) => ({
      contactId: ids.get(p.email),
      type: 'OPPORTUNITY_CREATED',
      occurredAt: '2026-08-20T00:00:00Z',
      externalId: `o${i}`,
    }));
  await inBatches(outcomes, 1000, (o) =>
    ok(gql(`mutation($o: [OutcomeInput!]!) { recordOutcomes(outcomes: $o) { accepted } }`, { o })),
  );
  return ids;
}

function sumOf(reasons: { points: number }[]): number {
  return reasons.reduce((s, r) => s + Math.round(r.points * 100), 0);
}

describe('predictive model versions: train, preview, validate, publish, roll back', () => {
  let h: ApiHarness;
  let gql: Gql;
  let workspaceId: string;
  let list: Person[];
  let ids: Map<string, string>;
  let rulesVersionId: string;
  let draftId: string;
  const sample: string[] = [];
  const rulesScores = new Map<string, { total: number; tier: string }>();

  beforeAll(async () => {
    h = await startApiHarness({ now: new Date('2026-11-20T00:00:00Z'), withWorker: true });
    const ws = await h.newWorkspace();
    gql = ws.gql;
    workspaceId = ws.id;
    list = people(CONTACTS, 11);
    ids = await seed(gql, list);
    await h.settled(110_000);
    // The default tiers are set by share: place them, as the worker's schedule would, so the
    // tiers recorded here are the ones a rollback brings back.
    await h.runtime!.tierCutoffs.refresh(workspaceId as WorkspaceId);
    await h.settled(110_000);
    rulesVersionId = (await ok(gql(`{ scoringModel { id } }`))).scoringModel.id;
    // Two of each kind: VP with a demo, VP without, manager with, manager without.
    for (const i of [0, 6, 2, 4, 3, 9, 1, 5]) sample.push(ids.get(list[i]!.email)!);
    for (const id of sample) {
      const data = await ok(gql(`query($id: ID!) { contact(id: $id) { ${SCORE} } }`, { id }));
      rulesScores.set(id, { total: data.contact.score.total, tier: data.contact.score.tier });
    }
  }, 240_000);
  afterAll(() => h?.close());

  it('refuses to train with too few outcomes, writing nothing (cold start)', async () => {
    const small = await h.newWorkspace('Small');
    await seed(small.gql, people(60, 3));
    const state = `{ scoringModelVersions { id } scoringModel { id } adminAuditLog { totalCount } }`;
    const before = await ok(small.gql(state));
    const result = await small.gql(TRAIN, {
      i: { from: FROM, to: TO, horizonDays: HORIZON, folds: 5 },
    });
    const error = result.errors?.[0];
    expect(error?.extensions?.code).toBe('INSUFFICIENT_OUTCOMES');
    expect(error?.extensions?.required).toBe(200);
    const conversions = people(60, 3).filter((p) => p.converts).length;
    expect(error?.extensions?.conversions).toBe(conversions);
    expect(error?.message).toMatch(new RegExp(`${conversions} conversions? .* at least 200`));
    const after = await ok(small.gql(state));
    expect(after).toEqual(before);
  });

  it('names the bad argument', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ from: TO, to: FROM }, 'from'],
      [{ from: FROM, to: TO, horizonDays: 0 }, 'horizonDays'],
      [{ from: FROM, to: TO, folds: 1 }, 'folds'],
      [{ from: FROM, to: TO, hybrid: { rules: 0, predictive: 0 } }, 'hybrid'],
      [{ from: FROM, to: TO, basedOn: '00000000-0000-4000-8000-000000000000' }, 'basedOn'],
    ];
    for (const [input, field] of cases) {
      const result = await gql(TRAIN, { i: input });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  it('trains a draft version with cross-validated metrics stored', async () => {
    const conversions = list.filter((p) => p.converts).length;
    expect(conversions).toBeGreaterThanOrEqual(200);
    const data = await ok(
      gql(TRAIN, { i: { from: FROM, to: TO, horizonDays: HORIZON, folds: 5 } }),
    );
    const version = data.trainPredictiveModel;
    draftId = version.id;
    expect(version.status).toBe('DRAFT');
    expect(version.predictive).toMatchObject({
      mode: 'PREDICTIVE',
      observations: CONTACTS,
      conversions,
      horizonDays: HORIZON,
    });
    expect(version.predictive.folds).toHaveLength(5);
    expect(version.predictive.folds.reduce((n: number, f: any) => n + f.rows, 0)).toBe(CONTACTS);
    // The true model's AUC is about 0.72; leaking the post-window MEETING would give ~1.
    expect(version.predictive.auc).toBeGreaterThan(0.65);
    expect(version.predictive.auc).toBeLessThan(0.85);
    expect(version.predictive.brier).toBeLessThan(0.25);
    // Both kinds were cross-validated on the same folds, and the choice is explained.
    expect(version.predictive.candidates.map((c: any) => c.kind)).toEqual([
      'logistic-regression',
      'gradient-boosted-trees',
    ]);
    expect(version.predictive.selectionReason).toMatch(
      /^Kept (logistic-regression|gradient-boosted-trees)/,
    );
    const groups = version.predictive.importance.map((f: any) => f.group);
    expect(groups).toEqual(expect.arrayContaining(['contact.seniority', 'activity.DEMO_REQUEST']));
    // The MEETING after the window never reached training, so it is not a feature.
    expect(groups).not.toContain('activity.MEETING');
    expect(version.predictive.skippedFeatures).toContainEqual({
      path: 'account.domain',
      reason: 'identifies an account rather than describing it',
    });
    expect(version.predictive.outOfTime.unavailable).toMatch(/same moment/);
    const audit = await ok(
      gql(`{ adminAuditLog { edges { node { action targetType targetId details } } } }`),
    );
    expect(audit.adminAuditLog.edges.map((e: any) => e.node)).toContainEqual({
      action: 'MODEL_TRAINED',
      targetType: 'SCORING_MODEL_VERSION',
      targetId: draftId,
      details: expect.objectContaining({
        basedOnId: rulesVersionId,
        mode: 'PREDICTIVE',
        kind: version.predictive.kind,
        observations: CONTACTS,
        conversions,
        auc: version.predictive.auc,
      }),
    });
    console.log(
      `predictive training: ${CONTACTS} observations, CV AUC ${version.predictive.auc.toFixed(3)}, Brier ${version.predictive.brier.toFixed(3)}, ${version.predictive.durationMs} ms`,
    );
  });

  it('answers other requests while it trains (the model is fitted on a worker thread)', async () => {
    // This process runs the API: the training thread is a worker of this process.
    const threadStarted = new Promise<Worker>((resolve) => process.once('worker', resolve));
    let trained = false;
    const training = ok(gql(TRAIN, { i: { from: FROM, to: TO, horizonDays: HORIZON, folds: 5 } }));
    void training.then(() => (trained = true));
    const thread = await threadStarted;
    let threadRunning = true;
    thread.once('exit', () => (threadRunning = false));
    const answered = await ok(gql(`{ scoringModel { id } }`));
    expect(answered.scoringModel.id).toBe(rulesVersionId);
    expect({ threadRunning, trained }).toEqual({ threadRunning: true, trained: false });
    expect((await training).trainPredictiveModel.status).toBe('DRAFT');
    expect(threadRunning).toBe(false);
  });

  it('accepts a trained predictive section by hand, and refuses a spoiled one naming the path', async () => {
    const trained = await ok(
      gql(`query($id: ID!) { scoringModelVersion(id: $id) { definitionJson } }`, { id: draftId }),
    );
    const definition = trained.scoringModelVersion.definitionJson;
    const create = `mutation($d: JSONObject!) { createScoringModelDraft(definitionJson: $d) {
      id predictive { auc brier trainedAt } } }`;
    const copy = await ok(gql(create, { d: definition }));
    expect(copy.createScoringModelDraft.predictive.auc).toBeGreaterThan(0.65);
    // A model stored without its evaluation has no metrics: auc and brier are null.
    const unvalidated = structuredClone(definition);
    delete unvalidated.predictive.evaluation;
    const plain = await ok(gql(create, { d: unvalidated }));
    expect(plain.createScoringModelDraft.predictive).toMatchObject({ auc: null, brier: null });

    const spoilers: [string, (d: any) => void][] = [
      ['predictive.model.kind', (d) => (d.predictive.model.kind = 'magic')],
      [
        'predictive.features.fields[0].type',
        (d) => (d.predictive.features.fields[0].type = 'text'),
      ],
      [
        'predictive.evaluation.candidates[0].pooled.auc',
        (d) => (d.predictive.evaluation.candidates[0].pooled.auc = 'good'),
      ],
      ['predictive.training.trainedAt', (d) => (d.predictive.training.trainedAt = 'last week')],
    ];
    for (const [path, spoil] of spoilers) {
      const bad = structuredClone(definition);
      spoil(bad);
      const created = await gql(create, { d: bad });
      expect(created.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const paths = (created.errors?.[0]?.extensions?.['issues'] as { path: string }[]).map(
        (i) => i.path,
      );
      expect(paths).toContain(`definition.${path}`);
      const updated = await gql(
        `mutation($v: ID!, $d: JSONObject!) { updateScoringModelDraft(versionId: $v, definitionJson: $d) { id } }`,
        { v: copy.createScoringModelDraft.id, d: bad },
      );
      expect(updated.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('builds features only from activities before the as-of moment (no look-ahead)', async () => {
    const db = new Database(h.db.dataSource);
    const training = new PredictiveTrainingService(db, h.clock, new ValidationDatasetService(db));
    const observed = await training.observations(
      workspaceId as WorkspaceId,
      defaultModelDefinition(),
      new Date(FROM),
      new Date(TO),
      HORIZON,
    );
    expect(observed).toHaveLength(CONTACTS);
    const set: FeatureSetV2 = {
      version: 2,
      fields: [{ path: 'contact.seniority', type: 'category' }],
      activities: { types: ['DEMO_REQUEST', 'MEETING'], halfLivesDays: [30] },
      properties: [],
    };
    const rows = observed.map((o) => extractFeatures(set, o.contact, o.account, o.history, o.at));
    // Every converter had a MEETING on Aug 5, after the Aug 1 as-of moment: it must not count.
    expect(observed.every((o) => o.history.every((a) => a.occurredAt < o.at))).toBe(true);
    expect(rows.every((r) => r['activity.MEETING.count'] === 0)).toBe(true);
    const byEmail = new Map(observed.map((o, i) => [o.contact.email, rows[i]!]));
    const withDemo = byEmail.get(list[0]!.email)!;
    const withoutDemo = byEmail.get(list[1]!.email)!;
    // A demo request 12 days before the as-of moment, half-life 30 days.
    expect(withDemo['activity.DEMO_REQUEST.30d']).toBeCloseTo(2 ** (-12 / 30), 9);
    expect(withDemo['activity.DEMO_REQUEST.daysSince']).toBeCloseTo(12, 9);
    expect(withoutDemo['activity.DEMO_REQUEST.30d']).toBe(0);
  });

  it('previews the draft next to the active rules model', async () => {
    const data = await ok(
      gql(
        `query($v: ID!, $c: [ID!]) { previewScoringModel(versionId: $v, contactIds: $c) { rows { contact { id } active { total } draft { total tier reasons { ruleId category points kind } } } } }`,
        { v: draftId, c: sample },
      ),
    );
    const rows = data.previewScoringModel.rows;
    expect(rows).toHaveLength(sample.length);
    for (const row of rows) {
      expect(row.draft.total).toBeGreaterThan(0);
      expect(row.draft.total).toBeLessThan(100);
      expect(sumOf(row.draft.reasons)).toBe(Math.round(row.draft.total * 100));
      expect(row.draft.reasons.every((r: any) => r.category === 'PREDICTIVE')).toBe(true);
      expect(row.draft.reasons.map((r: any) => r.ruleId)).toContain('predictive.baseline');
    }
  });

  it('validates the draft on stored history', async () => {
    const data = await ok(
      gql(
        `query($v: ID!) { modelValidation(versionId: $v, from: "${FROM}", to: "${TO}", horizonDays: ${HORIZON}) { total auc verdict } }`,
        { v: draftId },
      ),
    );
    expect(data.modelValidation.total).toBe(CONTACTS);
    expect(data.modelValidation.auc).toBeGreaterThan(0.65);
    expect(data.modelValidation.verdict).toBe('predictive');
  });

  it('publishes: contacts are rescored with predictive scores and reason codes', async () => {
    await ok(
      gql(`mutation($v: ID!) { publishScoringModel(versionId: $v) { id } }`, { v: draftId }),
    );
    await h.settled(110_000);
    const scores = [];
    for (const id of sample) {
      const data = await ok(gql(`query($id: ID!) { contact(id: $id) { ${SCORE} } }`, { id }));
      scores.push(data.contact.score);
    }
    for (const s of scores) {
      expect(s.modelVersionId).toBe(draftId);
      expect(sumOf(s.reasons)).toBe(Math.round(s.total * 100));
      expect(s.reasons.some((r: any) => r.kind === 'BASELINE')).toBe(true);
    }
    // VP with a demo request > manager without one; the VP's seniority pushes it up.
    const [vpDemo, , , , , , managerPlain] = scores;
    expect(vpDemo.total).toBeGreaterThan(managerPlain.total + 20);
    expect(vpDemo.reasons).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ label: 'Seniority: VP', kind: 'FEATURE' }),
      ]),
    );
    expect(
      vpDemo.reasons.find((r: any) => r.ruleId === 'predictive.activity.DEMO_REQUEST'),
    ).toMatchObject({
      activityCount: 1,
      label: expect.stringMatching(/^Demo requests: 1, latest \d+ days ago$/),
    });
    const vpReason = vpDemo.reasons.find((r: any) => r.label === 'Seniority: VP');
    expect(vpReason.points).toBeGreaterThan(0);
    const managerReason = managerPlain.reasons.find((r: any) => r.label === 'Seniority: Manager');
    expect(managerReason.points).toBeLessThan(0);
    // The baseline is the base rate of the training outcomes.
    const baseline = vpDemo.reasons.find((r: any) => r.kind === 'BASELINE');
    expect(baseline.label).toMatch(/^Base rate: \d+\.\d% of contacts converted$/);
  }, 120_000);

  it('rolls back: the rules scores come back', async () => {
    await ok(
      gql(`mutation($v: ID!) { rollbackScoringModel(toVersionId: $v) { id } }`, {
        v: rulesVersionId,
      }),
    );
    await h.settled(110_000);
    for (const id of sample) {
      const data = await ok(gql(`query($id: ID!) { contact(id: $id) { ${SCORE} } }`, { id }));
      expect(data.contact.score.modelVersionId).toBe(rulesVersionId);
      expect({ total: data.contact.score.total, tier: data.contact.score.tier }).toEqual(
        rulesScores.get(id),
      );
      expect(data.contact.score.reasons.some((r: any) => r.category === 'PREDICTIVE')).toBe(false);
    }
  }, 120_000);

  it('trains a hybrid: rules and predictive reasons together, summing to the total', async () => {
    const data = await ok(
      gql(TRAIN, {
        i: {
          from: FROM,
          to: TO,
          horizonDays: HORIZON,
          folds: 3,
          hybrid: { rules: 1, predictive: 1 },
        },
      }),
    );
    expect(data.trainPredictiveModel.predictive.mode).toBe('HYBRID');
    const preview = await ok(
      gql(
        `query($v: ID!, $c: [ID!]) { previewScoringModel(versionId: $v, contactIds: $c) { rows { draft { total reasons { ruleId category points } } } } }`,
        { v: data.trainPredictiveModel.id, c: sample },
      ),
    );
    for (const row of preview.previewScoringModel.rows) {
      expect(sumOf(row.draft.reasons)).toBe(Math.round(row.draft.total * 100));
      const categories = new Set(row.draft.reasons.map((r: any) => r.category));
      expect(categories.has('PREDICTIVE')).toBe(true);
      expect(categories.has('ENGAGEMENT')).toBe(true);
    }
  });
});
