import { execFile } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';

/**
 * The reference for the ingest bench: the same activity rows loaded with a raw PostgreSQL
 * COPY (psql's \copy, i.e. COPY ... FROM STDIN over a client connection) into a scratch table
 * shaped like `activities`: same columns and defaults, primary key, indexes (including the
 * unique external id) and foreign keys to contacts and accounts.
 */
export const COPY_COLUMNS =
  'workspace_id, contact_id, account_id, type, occurred_at, properties, external_id';

/** Runs one psql command; `ms` is psql's own \timing of it when it printed one, else wall time. */
function psql(url: string, command: string): Promise<{ ms: number; out: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      'psql',
      [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', '\\timing on', '-c', command],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`psql failed: ${stderr || error.message}`));
        else {
          const timed = /Time: ([\d.]+) ms/.exec(stdout);
          resolve({ ms: timed ? Number(timed[1]) : performance.now() - started, out: stdout });
        }
      },
    );
  });
}

/** Creates (or re-creates, empty) a scratch table shaped like `activities`, with its own id sequence. */
export async function createActivitiesLike(
  pool: Pool,
  table: string,
  options: { foreignKeys?: boolean } = {},
): Promise<void> {
  await pool.query(`DROP TABLE IF EXISTS ${table}`);
  await pool.query(`DROP SEQUENCE IF EXISTS ${table}_id_seq`);
  await pool.query(
    `CREATE TABLE ${table} (LIKE activities INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`,
  );
  await pool.query(`CREATE SEQUENCE ${table}_id_seq OWNED BY ${table}.id`);
  await pool.query(`ALTER TABLE ${table} ALTER COLUMN id SET DEFAULT nextval('${table}_id_seq')`);
  if (options.foreignKeys === false) return;
  await pool.query(
    `ALTER TABLE ${table}
       ADD FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id) ON DELETE CASCADE,
       ADD FOREIGN KEY (workspace_id, account_id) REFERENCES accounts (workspace_id, id) ON DELETE CASCADE`,
  );
}

export interface CopyResult {
  rows: number;
  /** Time of each COPY as psql's \timing reports it (start-up and connection excluded). */
  runsMs: number[];
  medianMs: number;
  rowsPerSecond: number;
  fileBytes: number;
  /** The same COPY into the same table without its two foreign keys (median). */
  withoutForeignKeys: { medianMs: number; rowsPerSecond: number };
}

/**
 * Exports the workspace's stored activities to a text-format file in /tmp, then COPYs it
 * `runs` times into a fresh scratch table (emptied between runs) and times each.
 */
export async function timeRawCopy(options: {
  url: string;
  pool: Pool;
  workspaceId: string;
  runs?: number;
  table?: string;
}): Promise<CopyResult> {
  const table = options.table ?? 'bench_copy_activities';
  const file = path.join(
    tmpdir(),
    `quorum-ingest-${process.pid}-${Math.random().toString(36).slice(2, 8)}.tsv`,
  );
  try {
    await psql(
      options.url,
      `\\copy (SELECT ${COPY_COLUMNS} FROM activities WHERE workspace_id = '${options.workspaceId}' ORDER BY id) TO '${file}'`,
    );
    const fileBytes = statSync(file).size;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    let rows = 0;
    const timeCopies = async (foreignKeys: boolean) => {
      const runsMs: number[] = [];
      for (let i = 0; i < (options.runs ?? 3); i++) {
        await createActivitiesLike(options.pool, table, { foreignKeys });
        await options.pool.query('CHECKPOINT').catch(() => undefined);
        const { ms } = await psql(options.url, `\\copy ${table} (${COPY_COLUMNS}) FROM '${file}'`);
        runsMs.push(Math.max(1, ms));
        rows = (await options.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))
          .rows[0]!.n;
      }
      return runsMs;
    };
    const bare = median(await timeCopies(false));
    const runsMs = await timeCopies(true);
    const medianMs = median(runsMs);
    return {
      rows,
      runsMs,
      medianMs,
      rowsPerSecond: (rows * 1000) / medianMs,
      fileBytes,
      withoutForeignKeys: { medianMs: bare, rowsPerSecond: (rows * 1000) / bare },
    };
  } finally {
    rmSync(file, { force: true });
    await options.pool.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
  }
}

/**
 * The API's own INSERT (jsonb_to_recordset ... ON CONFLICT DO NOTHING RETURNING, 1,000 rows
 * per statement) replayed straight through pg from `clients` connections into a scratch
 * table: what the storing statement costs without HTTP, GraphQL, validation or the rest of
 * the transaction.
 */
export async function timeReplayedInsert(options: {
  pool: Pool;
  workspaceId: string;
  clients: number;
  batchSize: number;
  table?: string;
}): Promise<{ rows: number; ms: number; rowsPerSecond: number }> {
  const table = options.table ?? 'bench_insert_activities';
  await createActivitiesLike(options.pool, table);
  try {
    const rows: Record<string, unknown>[] = (
      await options.pool.query(
        `SELECT contact_id, account_id, type, occurred_at, properties, external_id
         FROM activities WHERE workspace_id = $1 ORDER BY id`,
        [options.workspaceId],
      )
    ).rows.map((r) => ({ ...r, occurred_at: (r.occurred_at as Date).toISOString() }));
    const bodies: string[] = [];
    for (let i = 0; i < rows.length; i += options.batchSize)
      bodies.push(JSON.stringify(rows.slice(i, i + options.batchSize)));
    await options.pool.query('CHECKPOINT').catch(() => undefined);
    let next = 0;
    let inserted = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.clients }, async () => {
        for (let b = next++; b < bodies.length; b = next++) {
          const result = await options.pool.query(
            `INSERT INTO ${table} (workspace_id, contact_id, account_id, type, occurred_at, properties, external_id)
             SELECT $1, x.contact_id, x.account_id, x.type, x.occurred_at, x.properties, x.external_id
             FROM jsonb_to_recordset($2::jsonb) AS x(contact_id uuid, account_id uuid, type text,
               occurred_at timestamptz, properties jsonb, external_id text)
             ON CONFLICT (workspace_id, external_id) DO NOTHING
             RETURNING external_id`,
            [options.workspaceId, bodies[b]],
          );
          inserted += result.rowCount ?? 0;
        }
      }),
    );
    const ms = performance.now() - started;
    return { rows: inserted, ms, rowsPerSecond: (inserted * 1000) / ms };
  } finally {
    await options.pool.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
  }
}
