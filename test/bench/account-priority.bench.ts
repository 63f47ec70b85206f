import 'reflect-metadata';
import { availableParallelism, loadavg } from 'node:os';
import { appDatabaseUrlFor } from '@quorum/config';
import { Client, Pool } from 'pg';
import { expect, test } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { generateWorkspace } from './support/generate-workspace';
import { profileCpu } from './support/cpu-profile';
import { inProcessGraphql } from './support/in-process-graphql';
import {
  envInt,
  formatStats,
  measure,
  measureInterleaved,
  ms,
  type LatencyStats,
} from './support/latency';

/**
 * The top of the priority list, as a sales rep's home screen asks for it: the 50 highest
 * account scores with their buying groups, over HTTP, next to the bare SQL that reads the same
 * rows. The HTTP/SQL ratio is the figure that matters; targets: p99 ≤ 20 ms and ≤ 2× the SQL.
 *
 *   BENCH_ACCOUNTS=2000 npx vitest run --config vitest.bench.config.mts test/bench/account-priority.bench.ts
 *
 * BENCH_ACCOUNTS (default 100,000), BENCH_CONTACTS (default 10 per account), BENCH_ITERATIONS
 * (default 300), BENCH_WARMUP (default 50), BENCH_BREAKDOWN=0 skips the cost breakdown,
 * BENCH_PROFILE=1 adds a CPU profile of the requests (self time by package and by function).
 */
const ACCOUNTS = envInt('BENCH_ACCOUNTS', 100_000);
const CONTACTS = envInt('BENCH_CONTACTS', ACCOUNTS * 10);
const ITERATIONS = envInt('BENCH_ITERATIONS', 300);
const WARMUP = envInt('BENCH_WARMUP', 50);
const BREAKDOWN = process.env['BENCH_BREAKDOWN'] !== '0';
const PROFILE = process.env['BENCH_PROFILE'] === '1';
const BREAKDOWN_ITERATIONS = Math.max(50, Math.round(ITERATIONS / 3));
const TARGET_P99_MS = 20;
const TARGET_RATIO = 2;
const PAGE = 50;

const PRIORITY_QUERY = `{ accounts(orderBy: PRIORITY_DESC, first: ${PAGE}) { edges { node { id domain name
  score { total tier signals { coverage decisionMakerEngaged } }
  buyingGroups { name score completeness missingRoles members { role engaged contact { email } } } } } } }`;

/** Smaller queries over the same page, to see what each level of nesting costs. */
const LADDER: [string, string][] = [
  ['{ __typename } (HTTP + auth + Apollo only)', '{ __typename }'],
  [
    'accounts page only (id domain name)',
    `{ accounts(orderBy: PRIORITY_DESC, first: ${PAGE}) { edges { node { id domain name } } } }`,
  ],
  [
    '+ score { total tier signals }',
    `{ accounts(orderBy: PRIORITY_DESC, first: ${PAGE}) { edges { node { id domain name
      score { total tier signals { coverage decisionMakerEngaged } } } } } }`,
  ],
  [
    '+ buyingGroups { name score completeness missingRoles }',
    `{ accounts(orderBy: PRIORITY_DESC, first: ${PAGE}) { edges { node { id domain name
      score { total tier signals { coverage decisionMakerEngaged } }
      buyingGroups { name score completeness missingRoles } } } } }`,
  ],
  ['+ members { role engaged contact { email } } (the full query)', PRIORITY_QUERY],
];

/**
 * The same rows in one statement: the page from ix_account_scores_priority, each row's buying
 * groups, their scores, members and member emails aggregated to JSON in the database.
 */
const BARE_SQL = `
  SELECT a.id, a.domain, a.name, s.total, s.tier,
    (s.signals->>'coverage')::float8 AS coverage,
    (s.signals->>'decisionMakerEngaged')::boolean AS decision_maker_engaged,
    coalesce((
      SELECT json_agg(json_build_object(
        'name', g.name, 'score', gs.engagement, 'completeness', gs.completeness,
        'missingRoles', ARRAY(
          SELECT r FROM unnest(g.required_roles) r
          WHERE NOT EXISTS (SELECT 1 FROM buying_group_members m
                            WHERE m.workspace_id = g.workspace_id AND m.buying_group_id = g.id AND m.role = r)),
        'members', coalesce((
          SELECT json_agg(json_build_object(
            'role', m.role,
            'engaged', coalesce(gs.members @> jsonb_build_array(
              jsonb_build_object('contactId', m.contact_id, 'engaged', true)), false),
            'contact', json_build_object('email', c.email)) ORDER BY m.added_at, m.contact_id)
          FROM buying_group_members m
          JOIN contacts c ON c.workspace_id = m.workspace_id AND c.id = m.contact_id
          WHERE m.workspace_id = g.workspace_id AND m.buying_group_id = g.id), '[]'::json)
      ) ORDER BY g.name)
      FROM buying_groups g
      LEFT JOIN buying_group_scores gs ON gs.workspace_id = g.workspace_id AND gs.buying_group_id = g.id
      WHERE g.workspace_id = a.workspace_id AND g.account_id = a.id), '[]'::json) AS buying_groups
  FROM account_scores s
  JOIN accounts a ON a.workspace_id = s.workspace_id AND a.id = s.account_id
  WHERE s.workspace_id = $1
  ORDER BY s.total DESC, s.account_id DESC
  LIMIT ${PAGE}`;

interface Node {
  id: string;
  domain: string;
  name: string | null;
  score: {
    total: number;
    tier: string;
    signals: { coverage: number; decisionMakerEngaged: boolean };
  } | null;
  buyingGroups?: unknown[];
}

interface SqlRow {
  id: string;
  domain: string;
  name: string | null;
  total: number;
  tier: string;
  coverage: number;
  decision_maker_engaged: boolean;
  buying_groups: unknown[];
}

interface Statement {
  query: string;
  parameters: unknown[];
}

function postJson(url: string, key: string) {
  return async (query: string): Promise<{ data: any; bytes: number }> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query }),
    });
    const text = await response.text();
    const body = JSON.parse(text);
    if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
    return { data: body.data, bytes: text.length };
  };
}

/** The statements the API issues for one request, in order, with their parameters. */
async function captureStatements(h: ApiHarness, run: () => Promise<unknown>): Promise<Statement[]> {
  const seen: Statement[] = [];
  const counter = h.counter as unknown as { logQuery: (q: string, p?: unknown[]) => void };
  const original = counter.logQuery;
  counter.logQuery = (query: string, parameters?: unknown[]) => {
    seen.push({ query, parameters: parameters ?? [] });
    original.call(h.counter, query, parameters);
  };
  try {
    await run();
  } finally {
    counter.logQuery = original;
  }
  return seen;
}

const oneLine = (sql: string, width = 110) => {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
};

/** Planning and execution time of a statement on the server, from EXPLAIN ANALYZE. */
async function serverTime(pool: Pool, query: string, parameters: unknown[]) {
  const { rows } = await pool.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE) ${query}`,
    parameters,
  );
  const time = (label: string) =>
    rows
      .map((r) => r['QUERY PLAN'])
      .find((l) => l.startsWith(label))
      ?.replace(/^.*: /, '') ?? '?';
  return { plan: time('Planning Time'), run: time('Execution Time') };
}

const RLS_RUNS = 41;

function isTransactionControl(sql: string): boolean {
  return /^\s*(BEGIN|START TRANSACTION|COMMIT|ROLLBACK)/i.test(sql);
}

/** Execution time of one statement as the owner and as the application role under RLS. */
async function compareUnderRls(h: ApiHarness, statement: Statement, runs: number) {
  const ws = statement.parameters[0] as string;
  const owner = new Client({ connectionString: h.db.url });
  const app = new Client({ connectionString: appDatabaseUrlFor(h.db.url) });
  await Promise.all([owner.connect(), app.connect()]);
  const explain = async (client: Client, scoped: boolean) => {
    await client.query('BEGIN');
    try {
      if (scoped) await client.query(`SELECT set_config('quorum.workspace_id', $1, true)`, [ws]);
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE) ${statement.query}`,
        statement.parameters,
      );
      const lines = rows.map((r) => r['QUERY PLAN']);
      const time = Number(
        lines.find((l) => l.startsWith('Execution Time'))!.replace(/[^0-9.]/g, ''),
      );
      const rowCount = await client.query(statement.query, statement.parameters);
      return { time, lines, rows: rowCount.rowCount };
    } finally {
      await client.query('COMMIT');
    }
  };
  try {
    const ownerTimes: number[] = [];
    const appTimes: number[] = [];
    let last = { owner: 0 as number | null, app: 0 as number | null, appPlan: [] as string[] };
    for (let i = 0; i < runs; i++) {
      const o = await explain(owner, false);
      const a = await explain(app, true);
      ownerTimes.push(o.time);
      appTimes.push(a.time);
      last = { owner: o.rows, app: a.rows, appPlan: a.lines };
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    return {
      owner: median(ownerTimes),
      app: median(appTimes),
      appPlan: last.appPlan,
      sameRows: last.owner === last.app,
    };
  } finally {
    await Promise.all([owner.end(), app.end()]);
  }
}

function nonIncreasing(totals: number[]): boolean {
  return totals.every((t, i) => i === 0 || t <= totals[i - 1]!);
}

test(`accounts(orderBy: PRIORITY_DESC, first: ${PAGE}) with scores and buying groups: HTTP vs bare SQL`, async () => {
  const out = (line = '') => console.log(line);
  const h = await startApiHarness();
  const pool = new Pool({ connectionString: h.db.url, max: 2 });
  try {
    const ws = await h.newWorkspace('Priority bench');

    // 1. A generated workspace.
    out(
      `\n[account-priority] generating ${ACCOUNTS.toLocaleString('en-US')} accounts, ` +
        `${CONTACTS.toLocaleString('en-US')} contacts in ${h.db.name}`,
    );
    const gen = await generateWorkspace(h.db.url, {
      workspaceId: ws.id,
      accounts: ACCOUNTS,
      contacts: CONTACTS,
      skipForeignKeyChecks: true,
      deferIndexes: true,
      vacuum: true,
      log: out,
    });
    out(
      `  generated in ${(gen.totalMs / 1000).toFixed(1)} s (foreign-key triggers off and ` +
        `secondary indexes built after the load, then VACUUM ANALYZE): ` +
        Object.entries(gen.rows)
          .map(([t, n]) => `${t} ${n.toLocaleString('en-US')} (${gen.sizes[t]})`)
          .join(', '),
    );
    // A checkpoint now rather than in the middle of the measurements.
    await pool.query('CHECKPOINT').catch(() => undefined);

    // 2 and 3. The API over HTTP, the bare SQL on a pool of its own, and the API's own statements
    // replayed through pg (no GraphQL, no HTTP); interleaved, so machine noise hits all three.
    const post = postJson(h.server.url, ws.key);
    const statements = await captureStatements(h, () => post(PRIORITY_QUERY));
    const loadBefore = loadavg()[0]!;
    const run = await measureInterleaved(ITERATIONS, WARMUP, {
      http: () => post(PRIORITY_QUERY),
      sql: async () => (await pool.query<SqlRow>(BARE_SQL, [ws.id])).rows,
      replay: async () => {
        for (const s of statements) await pool.query(s.query, s.parameters);
      },
    });
    const loadAfter = loadavg()[0]!;
    const { http, sql, replay } = run.stats;
    const response = run.last.http as Awaited<ReturnType<typeof post>>;
    const nodes: Node[] = response.data.accounts.edges.map((e: { node: Node }) => e.node);
    const rows = run.last.sql as SqlRow[];

    // 4. The figures.
    const ratio = http.p99 / sql.p99;
    const ratio50 = http.p50 / sql.p50;
    const meets = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
    const n = (table: string) => gen.rows[table]!.toLocaleString('en-US');
    out(
      `\n[account-priority] data: ${n('accounts')} accounts, ${n('contacts')} contacts, ` +
        `${n('buying_groups')} buying groups, ${n('buying_group_members')} members; ` +
        `generation ${(gen.totalMs / 1000).toFixed(1)} s; ${ITERATIONS} iterations after ${WARMUP} ` +
        `warm-up, sequential, the three paths interleaved; 1-min load average ` +
        `${loadBefore.toFixed(2)} → ${loadAfter.toFixed(2)} on ${availableParallelism()} CPUs; ` +
        `NODE_ENV=${process.env['NODE_ENV']}`,
    );
    out(
      `accounts(orderBy: PRIORITY_DESC, first: ${PAGE}) over HTTP: p50 ${ms(http.p50)}, p99 ${ms(http.p99)}` +
        ` | bare SQL: p50 ${ms(sql.p50)}, p99 ${ms(sql.p99)}` +
        ` | ratio p99 ${ratio.toFixed(2)}× (p50 ${ratio50.toFixed(2)}×)`,
    );
    out(
      `  HTTP      ${formatStats(http)}; response ${(response.bytes / 1024).toFixed(1)} KiB, ` +
        `${statements.length} SQL statements and ${ms(run.cpuMs.http)} of Node CPU (server and ` +
        `client) per request`,
    );
    const bareServer = await serverTime(pool, BARE_SQL, [ws.id]);
    out(
      `  bare SQL  ${formatStats(sql)}; one statement, JSON aggregation: plan ` +
        `${bareServer.plan} + run ${bareServer.run} on the server, ${ms(run.cpuMs.sql)} of Node CPU`,
    );
    out(
      `  the API's ${statements.length} statements replayed one after another through pg: ${formatStats(replay)}`,
    );
    out(
      `  target p99 ≤ ${TARGET_P99_MS} ms: ${meets(http.p99 <= TARGET_P99_MS)} (${ms(http.p99)}); ` +
        `target p99 ≤ ${TARGET_RATIO}× bare SQL: ${meets(ratio <= TARGET_RATIO)} (${ratio.toFixed(2)}×)`,
    );

    // The API's priority statement, from the repository code, as the planner runs it.
    const priority = statements.find(
      (s) => /JOIN account_scores s/.test(s.query) && /ORDER BY s\.total DESC/.test(s.query),
    );
    expect(priority, 'the API issued the PRIORITY_DESC statement').toBeDefined();
    const plan = await pool.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS) ${priority!.query}`,
      priority!.parameters,
    );
    const planLines = plan.rows.map((r) => r['QUERY PLAN']);
    out(`\n  EXPLAIN (ANALYZE, BUFFERS) ${oneLine(priority!.query, 150)}`);
    for (const line of planLines.slice(0, 8)) out(`    ${line}`);
    for (const line of planLines.filter((l) => /^(Planning|Execution) Time/.test(l)))
      out(`    ${line}`);

    // Row-level security: the same statement as the owner (policies bypassed) and as the
    // application role in a transaction with the workspace set, interleaved.
    const rls = await compareUnderRls(h, priority!, RLS_RUNS);
    out(
      `\n  Row-level security on the priority statement, EXPLAIN ANALYZE execution time, median of ` +
        `${RLS_RUNS} interleaved runs: owner (no policy) ${rls.owner.toFixed(3)} ms, application ` +
        `role with quorum.workspace_id set ${rls.app.toFixed(3)} ms: ` +
        `${((rls.app / rls.owner - 1) * 100).toFixed(1)}% extra (target ≤ 10%: ` +
        `${meets(rls.app <= rls.owner * 1.1)}); same rows: ${rls.sameRows}`,
    );
    for (const line of rls.appPlan.slice(0, 6)) out(`    ${line}`);

    if (BREAKDOWN) {
      // Where the API's time goes: each statement on the server and as the client sees it...
      out(
        `\n  The API's statements for one request: server time (EXPLAIN ANALYZE plan + run) and ` +
          `client time through pg (p50 of ${BREAKDOWN_ITERATIONS}):`,
      );
      for (const [i, s] of statements.filter((st) => !isTransactionControl(st.query)).entries()) {
        const time = await serverTime(pool, s.query, s.parameters);
        const client = await measure(BREAKDOWN_ITERATIONS, 10, () =>
          pool.query(s.query, s.parameters),
        );
        out(
          `    ${i + 1}. plan ${time.plan} + run ${time.run}; client ` +
            `${ms(client.stats.p50)}, ${client.last.rowCount} rows × ${client.last.fields.length} ` +
            `columns: ${oneLine(s.query, 90)}`,
        );
      }
      const viaTypeorm = await measure(BREAKDOWN_ITERATIONS, 10, async () => {
        for (const s of statements) await h.db.dataSource.query(s.query, s.parameters);
      });
      out(
        `    all ${statements.length} through TypeORM's dataSource.query, one after another: ` +
          `p50 ${ms(viaTypeorm.stats.p50)}, p99 ${ms(viaTypeorm.stats.p99)}`,
      );

      // ...the same request without HTTP: graphql-js alone, and Apollo with and without its
      // cache-control plugin (installed by default; it hooks every field)...
      const inProcess = await inProcessGraphql(h.db.dataSource, h.clock, ws.key);
      try {
        const document = inProcess.parse(PRIORITY_QUERY);
        const candidates = {
          execute: () => inProcess.execute(document),
          apollo: () => inProcess.apollo(PRIORITY_QUERY),
          apolloNoCacheControl: () => inProcess.apolloNoCacheControl(PRIORITY_QUERY),
          authenticate: () => inProcess.authenticate(),
          http: () => post(PRIORITY_QUERY),
          sql: () => pool.query(BARE_SQL, [ws.id]),
        };
        const layers = await measureInterleaved(BREAKDOWN_ITERATIONS, 10, candidates);
        const line = (label: string, k: keyof typeof candidates) => {
          const st: LatencyStats = layers.stats[k];
          out(
            `    ${label}: p50 ${ms(st.p50)}, p99 ${ms(st.p99)}, mean ${ms(st.mean)}; ` +
              `Node CPU ${ms(layers.cpuMs[k])} per call`,
          );
        };
        out(
          `\n  The full query by layer, in this process (interleaved, ${BREAKDOWN_ITERATIONS} each):`,
        );
        line(
          `graphql-js execute, same resolvers and loaders (${statements.length - 1} statements)`,
          'execute',
        );
        line('Apollo executeOperation, default plugins (as the API)', 'apollo');
        line('Apollo executeOperation, cache control disabled', 'apolloNoCacheControl');
        line('authenticate the API key (1 statement, every request)', 'authenticate');
        line('over HTTP (express, body-parser, Apollo, auth, fetch client)', 'http');
        line('bare SQL (pg client only)', 'sql');
      } finally {
        await inProcess.stop();
      }

      // ...and what each level of nesting adds over HTTP.
      out(
        `\n  Cost of each level of the query over HTTP (${BREAKDOWN_ITERATIONS} iterations each):`,
      );
      for (const [label, query] of LADDER) {
        const c = await captureStatements(h, () => post(query));
        const m = await measure(BREAKDOWN_ITERATIONS, 10, () => post(query));
        out(
          `    ${label}: p50 ${ms(m.stats.p50)}, p99 ${ms(m.stats.p99)}; ${c.length} statements, ` +
            `${(m.last.bytes / 1024).toFixed(1)} KiB`,
        );
      }
    }

    if (PROFILE) {
      // This process's CPU (API server, client and pg driver share it) over sequential requests.
      const profile = await profileCpu('account-priority', async () => {
        for (let i = 0; i < BREAKDOWN_ITERATIONS; i++) await post(PRIORITY_QUERY);
      });
      const perRequest = (x: number) => ms(x / BREAKDOWN_ITERATIONS);
      out(
        `\n  CPU profile of ${BREAKDOWN_ITERATIONS} requests (${perRequest(profile.wallMs)} wall per ` +
          `request; ${profile.file}), self time per request by area:`,
      );
      for (const a of profile.byArea.slice(0, 14)) {
        out(
          `    ${perRequest(a.ms).padStart(9)}  ${(a.share * 100).toFixed(1).padStart(5)}%  ${a.area}`,
        );
      }
      out(`  top functions by self time (share of busy CPU):`);
      for (const f of profile.topFunctions) {
        out(
          `    ${perRequest(f.ms).padStart(9)}  ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.name}`,
        );
      }
    }
    out('');

    // 5. Work was done: 50 rows in priority order from both paths, and the same rows.
    expect(nodes).toHaveLength(PAGE);
    expect(rows).toHaveLength(PAGE);
    expect(nonIncreasing(nodes.map((n) => n.score!.total))).toBe(true);
    expect(nonIncreasing(rows.map((r) => r.total))).toBe(true);
    expect(nodes[0]!.buyingGroups!.length).toBeGreaterThan(0);
    expect(
      rows.map((r) => ({
        id: r.id,
        domain: r.domain,
        name: r.name,
        score: {
          total: r.total,
          tier: r.tier,
          signals: { coverage: r.coverage, decisionMakerEngaged: r.decision_maker_engaged },
        },
        buyingGroups: r.buying_groups,
      })),
    ).toEqual(nodes);
  } finally {
    await pool.end();
    await h.close();
  }
});
