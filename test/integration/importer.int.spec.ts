import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMappingJson, runImport, type ImportOptions } from '../../apps/importer/src';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { ok, type Gql } from '../support/graphql-client';

/** The importer against the real API over HTTP, with CSV files written to a temp dir. */
describe('CSV import from CRM exports', () => {
  let h: ApiHarness;
  let dir: string;
  beforeAll(async () => {
    h = await startApiHarness();
    dir = mkdtempSync(path.join(tmpdir(), 'quorum-import-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await h?.close();
  });

  function csvFile(name: string, lines: string[]): string {
    const file = path.join(dir, name);
    writeFileSync(file, lines.join('\r\n') + '\r\n');
    return file;
  }

  function rejectsOf(file: string): { line: number; reasons: string[]; row: any }[] {
    return readFileSync(`${file}.rejected.jsonl`, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  }

  function importAs(
    key: string,
    options: Pick<ImportOptions, 'kind' | 'file'> & Partial<ImportOptions>,
  ) {
    return runImport({ url: h.server.url, key, ...options });
  }

  async function accounts(gql: Gql): Promise<any[]> {
    const data = await ok(
      gql(`{ accounts(orderBy: DOMAIN_ASC, first: 50) { totalCount edges { node {
        domain name industry employeeCount annualRevenue country attributes } } } }`),
    );
    return data.accounts.edges.map((e: any) => e.node);
  }

  async function activityCount(wsId: string): Promise<number> {
    const [row] = await h.db.dataSource.query(
      'SELECT count(*)::int AS n FROM activities WHERE workspace_id = $1',
      [wsId],
    );
    return row.n;
  }

  it('maps HubSpot-style account headers by default, falling back to Website URL for the domain', async () => {
    const { key, gql } = await h.newWorkspace('defaults');
    const file = csvFile('companies.csv', [
      '\ufeffRecord ID,Company name,Company Domain Name,Website URL,Industry,Number of Employees,Annual Revenue,Country/Region,Create Date',
      '101,Globex,globex.com,https://www.globex-old.com,Software,"1,200","$25,000,000",United States,2026-01-01',
      '102,Initech,,https://www.Initech.io/about,Finance,85,3.5M,Germany,2026-01-02',
      '103,"Umbrella, Inc.",umbrella.co.uk,,Pharma,,,,2026-01-03',
    ]);

    const summary = await importAs(key, { kind: 'accounts', file });

    expect(summary).toMatchObject({ rows: 3, landed: 3, created: 3, updated: 0, rejected: 0 });
    expect(summary.aborted).toBeNull();
    expect(summary.ignoredColumns).toEqual(['Record ID', 'Create Date']);
    expect(await accounts(gql)).toEqual([
      {
        domain: 'globex.com',
        name: 'Globex',
        industry: 'Software',
        employeeCount: 1200,
        annualRevenue: 25_000_000,
        country: 'United States',
        attributes: {},
      },
      {
        domain: 'initech.io',
        name: 'Initech',
        industry: 'Finance',
        employeeCount: 85,
        annualRevenue: 3_500_000,
        country: 'Germany',
        attributes: {},
      },
      {
        domain: 'umbrella.co.uk',
        name: 'Umbrella, Inc.',
        industry: 'Pharma',
        employeeCount: null,
        annualRevenue: null,
        country: null,
        attributes: {},
      },
    ]);
  });

  it('reports bad rows with their line number and reason while the good rows of the batch land', async () => {
    const { key, gql } = await h.newWorkspace('bad rows');
    const file = csvFile('contacts.csv', [
      'Email,First Name,Last Name,Job Title,Seniority,Company Domain Name,Unsubscribed',
      'ann@globex.com,Ann,Lee,VP Engineering,VP,globex.com,no',
      // Rejected by the API (the email is not an address): found by the index of its issue.
      'not-an-email,Bob,Roe,CTO,C-Level,globex.com,no',
      // A quoted title over two lines: the next row starts on line 6.
      'cy@initech.io,Cy,Doe,"Head of\nData",Director,initech.io,',
      // Rejected before sending: unreadable flag.
      'dee@initech.io,Dee,Fox,Analyst,,initech.io,maybe',
      // Rejected by the API: a personal mailbox is not a company domain.
      'eve@umbrella.com,Eve,Kim,CFO,C-Level,gmail.com,yes',
      'fay@umbrella.com,Fay,Wu,Buyer,Manager,,',
    ]);

    const summary = await importAs(key, { kind: 'contacts', file, batchSize: 1000 });

    expect(summary).toMatchObject({ rows: 6, landed: 3, created: 3, rejected: 3 });
    const rejects = rejectsOf(file);
    expect(rejects.map((r) => r.line).sort((a, b) => a - b)).toEqual([3, 6, 7]);
    const byLine = new Map(rejects.map((r) => [r.line, r]));
    expect(byLine.get(3)!.reasons.join(' ')).toMatch(/^Email: is not a valid email address/);
    expect(byLine.get(3)!.row).toMatchObject({ Email: 'not-an-email', 'First Name': 'Bob' });
    expect(byLine.get(6)!.reasons).toEqual(['Unsubscribed: "maybe" is not yes/no (true/false)']);
    expect(byLine.get(7)!.reasons.join(' ')).toMatch(/Company Domain Name: .*personal mailbox/);

    const data = await ok(
      gql(`{ contacts(orderBy: EMAIL_ASC, first: 50) { edges { node {
        email firstName title seniority account { domain } } } } }`),
    );
    expect(data.contacts.edges.map((e: any) => e.node)).toEqual([
      {
        email: 'ann@globex.com',
        firstName: 'Ann',
        title: 'VP Engineering',
        seniority: 'VP',
        account: { domain: 'globex.com' },
      },
      {
        email: 'cy@initech.io',
        firstName: 'Cy',
        title: 'Head of\nData',
        seniority: 'Director',
        account: { domain: 'initech.io' },
      },
      {
        email: 'fay@umbrella.com',
        firstName: 'Fay',
        title: 'Buyer',
        seniority: 'Manager',
        account: { domain: 'umbrella.com' },
      },
    ]);
  });

  it('re-runs without duplicates: activities by a derived externalId, accounts by domain', async () => {
    const { key, id } = await h.newWorkspace('re-run');
    const activities = csvFile('activities.csv', [
      'Activity Type,Activity Date,Email,Page URL,Campaign',
      'Page View,2026-11-02 10:00:00,ann@globex.com,/pricing,',
      'Email Open,2026-11-03T09:30:00Z,ann@globex.com,,Q4 launch',
      'FORM_SUBMIT,11/04/2026 2:15 PM,bob@initech.io,/demo,Q4 launch',
      'webinar attended,1762300800,cy@initech.io,,',
      // The same activity twice in one file is one activity.
      'Page View,2026-11-02 10:00:00,ann@globex.com,/pricing,',
    ]);

    const first = await importAs(key, { kind: 'activities', file: activities, batchSize: 2 });
    expect(first).toMatchObject({ rows: 5, landed: 5, accepted: 4, duplicates: 1, rejected: 0 });
    expect(first.contactsCreated).toBe(3);
    expect(await activityCount(id)).toBe(4);

    const again = await importAs(key, { kind: 'activities', file: activities, batchSize: 2 });
    expect(again).toMatchObject({ rows: 5, landed: 5, accepted: 0, duplicates: 5, rejected: 0 });
    expect(await activityCount(id)).toBe(4);

    const [stored] = await h.db.dataSource.query(
      `SELECT type, occurred_at, properties FROM activities
       WHERE workspace_id = $1 AND type = 'FORM_SUBMIT'`,
      [id],
    );
    expect(stored.occurred_at.toISOString()).toBe('2026-11-04T14:15:00.000Z');
    expect(stored.properties).toEqual({ url: '/demo', campaign: 'Q4 launch' });

    const companies = csvFile('rerun-companies.csv', [
      'Company Domain Name,Company name',
      'vandelay.com,Vandelay',
      'www.vandelay.com,Vandelay Industries', // the same account in one call: lands as an update
      'acme.dev,Acme',
    ]);
    const once = await importAs(key, { kind: 'accounts', file: companies });
    expect(once).toMatchObject({ landed: 3, created: 2, updated: 1, rejected: 0 });
    const twice = await importAs(key, { kind: 'accounts', file: companies });
    expect(twice).toMatchObject({ landed: 3, created: 0, updated: 3, rejected: 0 });
    const [count] = await h.db.dataSource.query(
      'SELECT count(*)::int AS n, max(name) AS name FROM accounts WHERE workspace_id = $1 AND domain = $2',
      [id, 'vandelay.com'],
    );
    expect(count).toEqual({ n: 1, name: 'Vandelay Industries' });
  });

  it('takes a custom mapping from a JSON file and --map flags, on a ;-separated file', async () => {
    const { key, gql } = await h.newWorkspace('custom mapping');
    const file = csvFile('custom.csv', [
      'Org Website;Headcount;Segment;Notes;Legal Name',
      'https://hooli.com;5000;Enterprise;call back;Hooli XYZ',
      'piedpiper.com;12;Startup;;Pied Piper',
    ]);
    const mappingFile = path.join(dir, 'mapping.json');
    writeFileSync(
      mappingFile,
      JSON.stringify({
        'org website': 'domain',
        Headcount: 'employeeCount',
        Segment: 'attributes.segment',
        Notes: null,
      }),
    );
    const overrides = {
      ...parseMappingJson(readFileSync(mappingFile, 'utf8'), mappingFile),
      'Legal Name': 'name',
    };

    const summary = await importAs(key, { kind: 'accounts', file, overrides, delimiter: ';' });

    expect(summary).toMatchObject({ rows: 2, landed: 2, created: 2, rejected: 0 });
    expect(summary.ignoredColumns).toEqual(['Notes']);
    expect(
      (await accounts(gql)).map(({ domain, name, employeeCount, attributes }) => ({
        domain,
        name,
        employeeCount,
        attributes,
      })),
    ).toEqual([
      {
        domain: 'hooli.com',
        name: 'Hooli XYZ',
        employeeCount: 5000,
        attributes: { segment: 'Enterprise' },
      },
      {
        domain: 'piedpiper.com',
        name: 'Pied Piper',
        employeeCount: 12,
        attributes: { segment: 'Startup' },
      },
    ]);
  });

  it('names the column a refused value came from, fallback columns included', async () => {
    const { key } = await h.newWorkspace('fallback reasons');
    const file = csvFile('fallback.csv', [
      'Company Domain Name,Website URL,Number of Employees',
      'globex.com,,10',
      ',not a website,20',
      'initech.io,,3000000000',
    ]);
    const summary = await importAs(key, { kind: 'accounts', file });
    expect(summary).toMatchObject({ rows: 3, landed: 1, rejected: 2 });
    const rejects = rejectsOf(file).sort((a, b) => a.line - b.line);
    expect(rejects.map((r) => [r.line, r.reasons])).toEqual([
      [3, [expect.stringMatching(/^Website URL: is not a valid domain \(got "not a website"\)/)]],
      [4, ['Number of Employees: "3000000000" is not a whole number']],
    ]);
  });

  it('reads stray quotes as text and reports a record that is not CSV with its line', async () => {
    const { key, gql } = await h.newWorkspace('malformed');
    const file = csvFile('malformed.csv', [
      'Company Domain Name,Company name',
      'monitors.com,27" Monitors',
      '',
      'initech.io,"Initech ""Best"" Co"',
      'globex.com,"Globex',
    ]);
    const summary = await importAs(key, { kind: 'accounts', file });
    expect(summary).toMatchObject({ rows: 3, landed: 2, rejected: 1 });
    expect(rejectsOf(file)).toEqual([
      {
        line: expect.any(Number),
        reasons: [expect.stringMatching(/^not valid CSV: Quote Not Closed/)],
        raw: expect.stringContaining('globex.com,"Globex'),
      },
    ]);
    expect(rejectsOf(file)[0]!.line).toBeGreaterThanOrEqual(5);
    expect((await accounts(gql)).map((a) => a.name)).toEqual(['Initech "Best" Co', '27" Monitors']);
  });

  it('stops with the reason when the key is refused, sending nothing more', async () => {
    const file = csvFile('refused.csv', ['Company Domain Name', 'refused.example']);
    const summary = await importAs('qk_not_a_real_key', { kind: 'accounts', file });
    expect(summary.aborted).toMatch(/API key was refused \(UNAUTHENTICATED\)/);
    expect(summary.landed).toBe(0);
  });
});
