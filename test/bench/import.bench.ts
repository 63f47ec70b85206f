import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { expect, inject, test } from 'vitest';
import { dropDatabase } from '@quorum/persistence';
import { databaseUrl, testRedisUrl } from '../support/database-url';
import { graphqlClient, ok } from '../support/graphql-client';
import { freePort, REPO_ROOT, startProcess, type RunningProcess } from '../support/processes';
import { memoryOf } from './support/ingest/proc-stats';
import { envInt } from './support/latency';
import { int, row, sec } from './support/ingest/report';
import { deleteRedisKeys } from '../support/redis-keys';
import { testRedisPrefix } from '../support/redis-prefix';

/**
 * CSV import: the built importer (`apps/importer/dist/main.js`) streams a generated
 * HubSpot-style activities export (no externalId column: each id is derived from the row)
 * into the built API, as a user's `npm run import` would. It runs twice, on a file a tenth
 * the size and on the full file, and prints rows/s and the importer's peak RSS for both,
 * with its RSS through the run: memory stays flat when the two peaks match and the RSS
 * does not climb with the rows read.
 *
 *   npm run build
 *   BENCH_IMPORT_ROWS=1000000 npx vitest run --config vitest.bench.config.mts test/bench/import.bench.ts
 *
 * BENCH_IMPORT_ROWS (default 200,000), BENCH_IMPORT_CONTACTS (5,000 distinct emails),
 * BENCH_IMPORT_BATCH_SIZE (1,000), BENCH_IMPORT_CONCURRENCY (1; the importer's --concurrency),
 * BENCH_IMPORT_WRITES_PER_MINUTE (the API's write budget
 * per key; default 1,000,000 so the run measures throughput, not the limit; 600 is the
 * production default), BENCH_KEEP_DATABASE=1 (leave the database; drop it yourself).
 */
const ROWS = envInt('BENCH_IMPORT_ROWS', 200_000);
const CONTACTS = envInt('BENCH_IMPORT_CONTACTS', 5_000);
const BATCH_SIZE = Math.min(1000, envInt('BENCH_IMPORT_BATCH_SIZE', 1000));
const CONCURRENCY = envInt('BENCH_IMPORT_CONCURRENCY', 1);
const WRITES_PER_MINUTE = envInt('BENCH_IMPORT_WRITES_PER_MINUTE', 1_000_000);
const KEEP_DATABASE = process.env['BENCH_KEEP_DATABASE'] === '1';
const ADMIN = 'bench-admin-token-0123456789';
const SAMPLE_MS = 100;
const TYPES = ['Page View', 'Email Open', 'Email Click', 'Form Submission', 'Webinar Attended'];
const CAMPAIGNS = ['Q4 launch', 'Pricing nurture', 'Partner webinar', ''];

/** Deterministic pseudo-random numbers (mulberry32) so a file can be generated again. */
function random(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes `rows` activity rows, waiting for the disk as it goes. Every row is distinct. */
async function writeActivitiesCsv(file: string, rows: number, seed: number): Promise<void> {
  const next = random(seed);
  const out = createWriteStream(file);
  const end = Date.now() - 3_600_000;
  out.write('Activity Type,Activity Date,Email,Page URL,Campaign\n');
  for (let i = 0; i < rows; i++) {
    const type = TYPES[Math.floor(next() * TYPES.length)]!;
    // Unique to the millisecond within a file; files differ by seed.
    const at = new Date(end - (seed % 7) * 1000 - i * 5_000 - Math.floor(next() * 1000));
    const contact = Math.floor(next() * CONTACTS);
    const url = type === 'Page View' ? `/docs/page-${Math.floor(next() * 400)}` : '';
    const campaign = CAMPAIGNS[Math.floor(next() * CAMPAIGNS.length)]!;
    const line = `${type},${at.toISOString()},person${contact}@company${contact % 700}.com,${url},"${campaign}"\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

interface ImportRun {
  rows: number;
  bytes: number;
  ms: number;
  exitCode: number | null;
  summary: Record<string, any>;
  peakRssMb: number;
  /** RSS (MB) at each tenth of the run, by time. */
  rssByTenth: number[];
}

async function runImporter(
  file: string,
  url: string,
  key: string,
  rows: number,
): Promise<ImportRun> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      path.join(REPO_ROOT, 'apps/importer/dist/main.js'),
      'activities',
      file,
      '--workspace-key',
      key,
      '--url',
      url,
      '--batch-size',
      String(BATCH_SIZE),
      '--concurrency',
      String(CONCURRENCY),
      '--json',
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const samples: { at: number; rssKb: number; hwmKb: number }[] = [];
  const timer = setInterval(() => {
    const m = memoryOf(child.pid!);
    // A process that has exited but is not yet reaped has no VmRSS: skip that reading.
    if (m && Number.isFinite(m.rssKb) && Number.isFinite(m.hwmKb))
      samples.push({ at: performance.now() - started, ...m });
  }, SAMPLE_MS);
  const [exitCode] = (await once(child, 'exit')) as [number | null];
  clearInterval(timer);
  const ms = performance.now() - started;
  if (exitCode !== 0) throw new Error(`importer exited ${exitCode}:\n${stderr}\n${stdout}`);
  const rssByTenth = Array.from({ length: 10 }, (_, i) => {
    const target = ((i + 1) / 10) * ms;
    const sample = samples.reduce(
      (best, s) => (Math.abs(s.at - target) < Math.abs(best.at - target) ? s : best),
      samples[0]!,
    );
    return sample.rssKb / 1024;
  });
  return {
    rows,
    bytes: statSync(file).size,
    ms,
    exitCode,
    summary: JSON.parse(stdout.trim().split('\n').pop()!),
    peakRssMb: Math.max(...samples.map((s) => s.hwmKb)) / 1024,
    rssByTenth,
  };
}

test(`import: ${ROWS.toLocaleString('en-US')} CSV activity rows through the built importer, peak RSS against a file a tenth the size`, async () => {
  const out = (line = '') => console.log(line);
  const dbName = `quorum_test_${inject('runId')}_import_${randomBytes(3).toString('hex')}`;
  const dbUrl = databaseUrl(dbName);
  const redisUrl = testRedisUrl();
  const prefix = testRedisPrefix('bench-import');
  const apiPort = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'quorum-import-bench-'));
  let api: RunningProcess | undefined;
  let pool: Pool | undefined;
  try {
    api = startProcess('apps/api/dist/main.js', {
      DATABASE_URL: dbUrl,
      REDIS_URL: redisUrl,
      QUORUM_REDIS_PREFIX: prefix,
      QUORUM_ADMIN_TOKEN: ADMIN,
      PORT: String(apiPort),
      NODE_ENV: 'production',
      RATE_LIMIT_WRITES_PER_MINUTE: String(WRITES_PER_MINUTE),
    });
    await api.waitFor('Quorum API ready', 60_000);
    const graphqlUrl = `http://127.0.0.1:${apiPort}/graphql`;
    const created = await ok(
      graphqlClient(
        graphqlUrl,
        ADMIN,
      )('mutation { createWorkspace(name: "Import bench") { workspace { id } secret } }'),
    );
    const workspaceId: string = created.createWorkspace.workspace.id;
    const key: string = created.createWorkspace.secret;

    const small = Math.max(1000, Math.round(ROWS / 10));
    const smallFile = path.join(dir, 'activities-small.csv');
    const fullFile = path.join(dir, 'activities-full.csv');
    const genStart = performance.now();
    await writeActivitiesCsv(smallFile, small, 1);
    await writeActivitiesCsv(fullFile, ROWS, 2);
    out(
      `\n[import] generated ${int(small)} + ${int(ROWS)} rows (${int(statSync(fullFile).size / 1e6)} MB) in ${sec(performance.now() - genStart)}`,
    );

    const runs: ImportRun[] = [];
    for (const [file, rows] of [
      [smallFile, small],
      [fullFile, ROWS],
    ] as const) {
      const run = await runImporter(file, graphqlUrl, key, rows);
      runs.push(run);
      out(
        `[import] ${int(rows)} rows: ${sec(run.ms)}, ${int((rows / run.ms) * 1000)} rows/s, peak RSS ${run.peakRssMb.toFixed(0)} MB`,
      );
    }

    pool = new Pool({ connectionString: dbUrl, max: 2 });
    pool.on('error', () => undefined);
    const { rows: counted } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM activities WHERE workspace_id = $1',
      [workspaceId],
    );

    out('');
    out(
      `[import] activities CSV → recordActivities, batches of ${int(BATCH_SIZE)}, ${CONCURRENCY} call(s) in flight`,
    );
    for (const run of runs) {
      out(row(`${int(run.rows)} rows (${int(run.bytes / 1e6)} MB)`, ''));
      out(row('  wall time (process start to exit)', sec(run.ms)));
      out(row('  rows/s', int((run.rows / run.ms) * 1000)));
      out(row('  API calls', int(run.summary['calls'])));
      out(row('  importer peak RSS (VmHWM)', `${run.peakRssMb.toFixed(1)} MB`));
      out(
        row(
          '  importer RSS at each tenth of the run (MB)',
          run.rssByTenth.map((r) => r.toFixed(0)).join(' '),
        ),
      );
    }
    const [a, b] = runs as [ImportRun, ImportRun];
    out(
      row(
        'peak RSS, full / tenth',
        `${(b.peakRssMb / a.peakRssMb).toFixed(2)}× for ${(b.rows / a.rows).toFixed(0)}× the rows`,
      ),
    );
    out(row('activities stored', int(counted[0]!.n)));
    out('');

    for (const run of runs) {
      expect(run.summary).toMatchObject({ rows: run.rows, landed: run.rows, rejected: 0 });
      expect(run.summary['accepted']).toBe(run.rows);
    }
    expect(counted[0]!.n).toBe(small + ROWS);
  } finally {
    await api?.stop('SIGTERM');
    await pool?.end().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    if (KEEP_DATABASE) out(`[import] kept database ${dbName}: drop it when done`);
    else
      await dropDatabase(dbUrl).catch((e) =>
        out(`[import] could not drop ${dbName}: ${e.message}`),
      );
    await deleteRedisKeys(redisUrl, prefix).catch(() => undefined);
  }
});
