import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropDatabase } from '@quorum/persistence';
import { databaseUrl, testRedisUrl } from '../support/database-url';
import { graphqlClient, ok } from '../support/graphql-client';
import { freePort, REPO_ROOT, startProcess, type RunningProcess } from '../support/processes';
import { testRedisPrefix } from '../support/redis-prefix';

const ADMIN = 'e2e-admin-token-0123456789';

/** The built importer CLI against the built API, as `npm run import` runs it. */
describe('npm run import: the importer CLI', () => {
  const dbName = `quorum_test_${inject('runId')}_import_${randomBytes(3).toString('hex')}`;
  let api: RunningProcess;
  let url: string;
  let key: string;
  let dir: string;

  beforeAll(async () => {
    const port = await freePort();
    api = startProcess('apps/api/dist/main.js', {
      DATABASE_URL: databaseUrl(dbName),
      REDIS_URL: testRedisUrl(),
      QUORUM_REDIS_PREFIX: testRedisPrefix('e2e'),
      QUORUM_ADMIN_TOKEN: ADMIN,
      PORT: String(port),
      NODE_ENV: 'production',
    });
    await api.waitFor('Quorum API ready');
    url = `http://127.0.0.1:${port}/graphql`;
    const created = await ok(
      graphqlClient(
        url,
        ADMIN,
      )('mutation { createWorkspace(name: "CLI import") { workspace { id } secret } }'),
    );
    key = created.createWorkspace.secret;
    dir = mkdtempSync(path.join(tmpdir(), 'quorum-import-cli-'));
  });

  afterAll(async () => {
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
    await dropDatabase(databaseUrl(dbName)).catch(() => undefined);
  });

  /** Runs the CLI from the repository root with the caller's directory in INIT_CWD, as npm does. */
  async function cli(
    args: string[],
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'apps/importer/dist/main.js'), ...args],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env['PATH'] ?? '', INIT_CWD: dir },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const [code] = (await once(child, 'exit')) as [number | null];
    return { code, stdout, stderr };
  }

  it('exits 2 with a summary and a rejects file when a row is rejected, 0 when every row lands', async () => {
    writeFileSync(
      path.join(dir, 'contacts.csv'),
      'Email,First Name,Job Title\nann@globex.com,Ann,CTO\nnobody,Bob,CFO\n',
    );
    const first = await cli(['contacts', 'contacts.csv', '--workspace-key', key, '--url', url]);
    expect(first.code).toBe(2);
    expect(first.stderr).toContain(
      'columns: Email → email, First Name → firstName, Job Title → title',
    );
    expect(first.stdout).toMatch(/landed 1: created 1, updated 0, accounts created 1/);
    expect(first.stdout).toMatch(
      /rejected 1: line numbers and reasons in .*contacts\.csv\.rejected\.jsonl/,
    );
    const [rejected] = readFileSync(path.join(dir, 'contacts.csv.rejected.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejected).toMatchObject({ line: 3, row: { Email: 'nobody' } });
    expect(rejected.reasons[0]).toMatch(/^Email: is not a valid email address/);

    writeFileSync(path.join(dir, 'fixed.csv'), 'Email,First Name\nbob@globex.com,Bob\n');
    const second = await cli([
      'contacts',
      'fixed.csv',
      '--workspace-key',
      key,
      '--url',
      url,
      '--json',
    ]);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      rows: 1,
      landed: 1,
      created: 1,
      rejected: 0,
    });
  });

  it('exits 1 naming the problem when the import cannot run', async () => {
    writeFileSync(path.join(dir, 'no-domain.csv'), 'Company name\nGlobex\n');
    const mapping = await cli(['accounts', 'no-domain.csv', '--workspace-key', key, '--url', url]);
    expect(mapping.code).toBe(1);
    expect(mapping.stderr).toMatch(/Mapping: no column for domain/);

    const missing = await cli(['accounts', 'nope.csv', '--workspace-key', key, '--url', url]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/File not found: .*nope\.csv/);

    const refused = await cli([
      'accounts',
      'no-domain.csv',
      '--map',
      'Company name=domain',
      '--workspace-key',
      'qk_wrong',
      '--url',
      url,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/STOPPED before the end of the file: the API key was refused/);
  });
});
