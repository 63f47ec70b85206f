import { Client } from 'pg';

/**
 * Fills one workspace with scored accounts, contacts and buying groups using set-based SQL
 * (INSERT ... SELECT FROM generate_series), for benches that need a large workspace fast.
 *
 * Ids are md5(workspace:kind:n)::uuid, so a contact's account id is computed, not looked up:
 * contact c (1..contacts) belongs to account n = 1 + (c - 1) % accounts and is its
 * j = (c - 1) / accounts-th contact. Account n's buying group has 2 or 3 members: its contacts
 * j = 0, 1 (and 2 when n is odd), as DECISION_MAKER, CHAMPION, TECHNICAL_EVALUATOR.
 */
export interface GenerateOptions {
  workspaceId: string;
  accounts: number;
  contacts: number;
  /** Defaults to the workspace's active scoring-model version. */
  modelVersionId?: string;
  /** Skips foreign-key triggers while loading (session_replication_role = replica). */
  skipForeignKeyChecks?: boolean;
  /** Drops the tables' secondary indexes before the load and builds them after it. */
  deferIndexes?: boolean;
  /** VACUUM ANALYZE instead of ANALYZE, so autovacuum does not start during measurements. */
  vacuum?: boolean;
  log?: (line: string) => void;
}

export interface GenerateResult {
  modelVersionId: string;
  totalMs: number;
  steps: { step: string; rows: number; ms: number }[];
  rows: Record<string, number>;
  /** Bytes of the generated tables with their indexes. */
  sizes: Record<string, string>;
}

export const COMPUTED_AT = '2026-11-20T00:00:00.000Z';

/** The expressions every statement shares; $1 is always the workspace id. */
const accountId = (n: string) => `md5($1::uuid::text || ':a:' || ${n})::uuid`;
const contactId = (c: string) => `md5($1::uuid::text || ':c:' || ${c})::uuid`;
const groupId = (n: string) => `md5($1::uuid::text || ':g:' || ${n})::uuid`;

function statements(accounts: number, contacts: number): { step: string; sql: string }[] {
  const N = accounts;
  const M = contacts;
  return [
    {
      step: 'accounts',
      sql: `
        INSERT INTO accounts (workspace_id, id, domain, name, industry, employee_count, annual_revenue,
          country, region, technologies, owner_id, attributes, created_at, updated_at)
        SELECT $1::uuid, ${accountId('n')}, 'acct-' || n || '.example', 'Account ' || n,
          (ARRAY['Software','SaaS','Fintech','Healthcare','Manufacturing','Retail','Education',
                 'Media','Logistics','Energy'])[1 + floor(r1 * 10)::int],
          emp, emp * (40000 + r2 * 160000),
          country,
          CASE WHEN country IN ('US','CA') THEN 'NA' WHEN country IN ('AU','IN') THEN 'APAC' ELSE 'EMEA' END,
          string_to_array((ARRAY['snowflake,dbt', 'salesforce,hubspot', 'aws,kubernetes',
            'snowflake,looker', 'azure,sap', ''])[1 + floor(r3 * 6)::int], ','),
          'owner-' || (1 + floor(r4 * 40)::int),
          jsonb_build_object('plan', (ARRAY['free','starter','pro','enterprise'])[1 + floor(r2 * 4)::int]),
          $2::timestamptz - r5 * interval '730 days', $2::timestamptz - r5 * interval '30 days'
        FROM (
          SELECT n, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
            (10 * power(1000, random()))::int AS emp,
            (ARRAY['US','US','US','US','GB','DE','CA','FR','NL','AU','IN'])[1 + floor(random() * 11)::int] AS country
          FROM generate_series(1, ${N}) n OFFSET 0
        ) x`,
    },
    {
      step: 'contacts',
      sql: `
        INSERT INTO contacts (workspace_id, id, account_id, email, first_name, last_name, title,
          seniority, department, country, lifecycle_stage, created_at, updated_at)
        SELECT $1::uuid, ${contactId('c')}, ${accountId('n')},
          'p' || j || '.' || n || '@acct-' || n || '.example',
          (ARRAY['Ava','Ben','Chloe','Dan','Eva','Finn','Grace','Hugo','Iris','Jack','Kim','Leo',
                 'Mia','Noah','Olga','Paul','Quinn','Rosa','Sam','Tara'])[1 + c % 20],
          (ARRAY['Smith','Jones','Brown','Garcia','Miller','Davis','Lopez','Wilson','Moore','Clark',
                 'Lewis','Walker','Hall','Young','King','Wright','Scott','Green','Baker','Adams'])[1 + (c / 20) % 20],
          (ARRAY['CEO','VP Engineering','Head of Data','Director of IT','Engineering Manager',
                 'Senior Engineer','Procurement Manager','Marketing Manager','Data Analyst','Intern'])[1 + j % 10],
          (ARRAY['C-Level','VP','Director','Director','Manager','Individual Contributor','Manager',
                 'Manager','Individual Contributor','Intern'])[1 + j % 10],
          (ARRAY['Executive','Engineering','Data','IT','Engineering','Engineering','Procurement',
                 'Marketing','Data','Engineering'])[1 + j % 10],
          (ARRAY['US','US','GB','DE','CA'])[1 + n % 5],
          (ARRAY['LEAD','LEAD','LEAD','MQL','SQL'])[1 + floor(r * 5)::int],
          $2::timestamptz - r * interval '700 days', $2::timestamptz - r * interval '20 days'
        FROM (
          SELECT c, 1 + (c - 1) % ${N} AS n, (c - 1) / ${N} AS j, random() AS r
          FROM generate_series(1, ${M}) c OFFSET 0
        ) x`,
    },
    {
      step: 'lead_scores',
      sql: `
        INSERT INTO lead_scores (workspace_id, contact_id, model_version_id, fit, engagement, negative,
          total, tier, grade, quadrant, action, override, reasons, last_activity_at, computed_at, tier_since)
        SELECT $1::uuid, ${contactId('c')}, $3::uuid, fit, engagement, negative, total,
          CASE WHEN total >= 60 THEN 'SALES_READY' WHEN total >= 30 THEN 'NURTURE' ELSE 'LOW' END,
          CASE WHEN fit >= 75 THEN 'A' WHEN fit >= 50 THEN 'B' WHEN fit >= 25 THEN 'C' ELSE 'D' END,
          quadrant,
          CASE quadrant WHEN 'HIGH_FIT_HIGH_ENGAGEMENT' THEN 'ROUTE_NOW'
            WHEN 'HIGH_FIT_LOW_ENGAGEMENT' THEN 'NURTURE_AND_ALERT'
            WHEN 'LOW_FIT_HIGH_ENGAGEMENT' THEN 'REVIEW' ELSE 'DEPRIORITIZE' END,
          NULL, '[]'::jsonb, $2::timestamptz - idle * interval '1 day', $2, $2::timestamptz - interval '10 days'
        FROM (
          SELECT c, fit, engagement, negative, idle,
            greatest(0, round((0.5 * fit + 0.5 * engagement - negative)::numeric, 2))::float8 AS total,
            CASE WHEN fit >= 50 THEN 'HIGH_FIT' ELSE 'LOW_FIT' END
              || CASE WHEN engagement >= 40 THEN '_HIGH_ENGAGEMENT' ELSE '_LOW_ENGAGEMENT' END AS quadrant
          FROM (
            SELECT c, round((random() * 100)::numeric, 2)::float8 AS fit,
              round((100 * power(random(), 2))::numeric, 2)::float8 AS engagement,
              CASE WHEN random() < 0.1 THEN 20 ELSE 0 END AS negative,
              floor(power(random(), 2) * 120)::int AS idle
            FROM generate_series(1, ${M}) c OFFSET 0
          ) r OFFSET 0
        ) x`,
    },
    {
      step: 'buying_groups',
      sql: `
        INSERT INTO buying_groups (workspace_id, id, account_id, name, required_roles, created_at)
        SELECT $1::uuid, ${groupId('n')}, ${accountId('n')}, 'Buying committee',
          string_to_array((ARRAY['DECISION_MAKER,CHAMPION,TECHNICAL_EVALUATOR',
            'DECISION_MAKER,ECONOMIC_BUYER,CHAMPION',
            'DECISION_MAKER,CHAMPION,TECHNICAL_EVALUATOR,LEGAL_PROCUREMENT',
            'ECONOMIC_BUYER,CHAMPION'])[1 + n % 4], ','),
          $2::timestamptz - interval '60 days'
        FROM generate_series(1, ${N}) n`,
    },
    {
      step: 'buying_group_members',
      sql: `
        INSERT INTO buying_group_members (workspace_id, buying_group_id, contact_id, role, added_at)
        SELECT $1::uuid, ${groupId('n')}, ${contactId(`(k * ${N} + n)`)},
          (ARRAY['DECISION_MAKER','CHAMPION','TECHNICAL_EVALUATOR'])[k + 1],
          $2::timestamptz - (60 - k) * interval '1 day'
        FROM generate_series(1, ${N}) n CROSS JOIN generate_series(0, 2) k
        WHERE k < 2 + n % 2 AND k::bigint * ${N} + n <= ${M}`,
    },
    {
      step: 'buying_group_scores',
      sql: `
        INSERT INTO buying_group_scores (workspace_id, buying_group_id, account_id, engagement,
          completeness, engaged_completeness, missing_roles, engaged_roles, members, computed_at)
        SELECT g.workspace_id, g.id, g.account_id, coalesce(m.engagement, 0),
          cardinality(ARRAY(SELECT r FROM unnest(g.required_roles) r WHERE r = ANY(coalesce(m.roles, '{}'))))::float8
            / greatest(cardinality(g.required_roles), 1),
          cardinality(ARRAY(SELECT r FROM unnest(g.required_roles) r WHERE r = ANY(coalesce(m.engaged_roles, '{}'))))::float8
            / greatest(cardinality(g.required_roles), 1),
          ARRAY(SELECT r FROM unnest(g.required_roles) r WHERE NOT (r = ANY(coalesce(m.roles, '{}')))),
          ARRAY(SELECT r FROM unnest(g.required_roles) r WHERE r = ANY(coalesce(m.engaged_roles, '{}'))),
          coalesce(m.members, '[]'::jsonb), $2
        FROM buying_groups g
        LEFT JOIN (
          SELECT buying_group_id,
            round(avg(engagement)::numeric, 2)::float8 AS engagement,
            array_agg(role::text) AS roles,
            array_agg(role::text) FILTER (WHERE engaged) AS engaged_roles,
            jsonb_agg(jsonb_build_object('contactId', contact_id, 'role', role, 'engaged', engaged)
              ORDER BY added_at, contact_id) AS members
          FROM (
            SELECT buying_group_id, contact_id, role, added_at, e AS engagement, e >= 15 AS engaged
            FROM (SELECT *, 100 * power(random(), 2) AS e FROM buying_group_members
                  WHERE workspace_id = $1::uuid OFFSET 0) mm
          ) m
          GROUP BY buying_group_id
        ) m ON m.buying_group_id = g.id
        WHERE g.workspace_id = $1::uuid`,
    },
    {
      step: 'account_scores',
      sql: `
        INSERT INTO account_scores (workspace_id, account_id, model_version_id, fit, rollup, committee,
          intent, engagement, total, score_change, tier, tier_since, quadrant, action, engaged_contacts,
          coverage, decision_maker_engaged, surging, signals, reasons, last_activity_at, computed_at)
        SELECT $1::uuid, ${accountId('n')}, $3::uuid, fit, round((engagement * 0.6)::numeric, 2)::float8,
          round((engagement * 0.3)::numeric, 2)::float8,
          greatest(0, engagement - round((engagement * 0.6)::numeric, 2)::float8
            - round((engagement * 0.3)::numeric, 2)::float8),
          engagement, total, score_change,
          CASE WHEN total >= 120 THEN 'HOT' WHEN total >= 60 THEN 'WARM' ELSE 'COLD' END,
          $2::timestamptz - tier_days * interval '1 day',
          quadrant,
          CASE quadrant WHEN 'HIGH_FIT_HIGH_ENGAGEMENT' THEN 'ROUTE_NOW'
            WHEN 'HIGH_FIT_LOW_ENGAGEMENT' THEN 'NURTURE_AND_ALERT'
            WHEN 'LOW_FIT_HIGH_ENGAGEMENT' THEN 'REVIEW' ELSE 'DEPRIORITIZE' END,
          engaged_contacts, coverage, decision_maker_engaged, surging,
          jsonb_build_object(
            'engagedContacts', engaged_contacts, 'coverage', coverage,
            'decisionMakerEngaged', decision_maker_engaged,
            'velocity', jsonb_build_object('last7Days', last7, 'weeklyAverage', weekly,
              'ratio', CASE WHEN weekly = 0 THEN NULL ELSE round((last7 / weekly)::numeric, 2)::float8 END,
              'surging', surging),
            'daysSinceLastActivity', idle,
            'lastActivityAt', to_char(($2::timestamptz - idle * interval '1 day') AT TIME ZONE 'UTC',
              'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
          '[]'::jsonb, $2::timestamptz - idle * interval '1 day', $2
        FROM (
          SELECT n, total, fit, round((total - fit)::numeric, 2)::float8 AS engagement,
            CASE WHEN fit >= 25 THEN 'HIGH_FIT' ELSE 'LOW_FIT' END
              || CASE WHEN total - fit >= 50 THEN '_HIGH_ENGAGEMENT' ELSE '_LOW_ENGAGEMENT' END AS quadrant,
            score_change, tier_days, idle, engaged_contacts, last7, weekly,
            least(1, round((engaged_contacts / 3.0)::numeric, 2))::float8 AS coverage,
            engaged_contacts > 0 AND dm AS decision_maker_engaged,
            weekly > 0 AND last7 >= 5 AND last7 >= 2 * weekly AS surging
          FROM (
            SELECT n, total, round((total * (0.2 + 0.3 * random()))::numeric, 2)::float8 AS fit,
              round(((random() - 0.5) * 20)::numeric, 2)::float8 AS score_change,
              floor(random() * 90)::int AS tier_days,
              floor(power(random(), 2) * 60)::int AS idle,
              floor(random() * 4)::int AS engaged_contacts,
              random() < 0.5 AS dm,
              floor(random() * 10)::int AS last7,
              round((random() * 4)::numeric, 2)::float8 AS weekly
            FROM (SELECT n, round((200 * power(random(), 2))::numeric, 2)::float8 AS total
                  FROM generate_series(1, ${N}) n OFFSET 0) t
            OFFSET 0
          ) r
        ) x`,
    },
  ];
}

const TABLES = [
  'accounts',
  'contacts',
  'lead_scores',
  'buying_groups',
  'buying_group_members',
  'buying_group_scores',
  'account_scores',
];

export async function generateWorkspace(
  databaseUrl: string,
  options: GenerateOptions,
): Promise<GenerateResult> {
  const log = options.log ?? (() => undefined);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const started = performance.now();
  try {
    let modelVersionId = options.modelVersionId;
    if (!modelVersionId) {
      const { rows } = await client.query<{ id: string }>(
        'SELECT id FROM scoring_model_versions WHERE workspace_id = $1 AND is_active',
        [options.workspaceId],
      );
      if (!rows[0]) throw new Error(`workspace ${options.workspaceId} has no active model version`);
      modelVersionId = rows[0].id;
    }
    // Repeatable spread; the load is one transaction that nothing else reads while it runs.
    await client.query('SET synchronous_commit = off');
    await client.query('SELECT setseed(0.42)');
    if (options.skipForeignKeyChecks) await client.query('SET session_replication_role = replica');
    const steps: GenerateResult['steps'] = [];
    await client.query('BEGIN');
    // Secondary indexes (those backing no constraint) are built once after the load, which
    // is much cheaper than maintaining them row by row; their definitions are read back, so
    // they come back exactly as the migrations made them.
    const deferred = options.deferIndexes
      ? (
          await client.query<{ name: string; def: string }>(
            `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
             WHERE i.schemaname = current_schema() AND i.tablename = ANY($1::text[])
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                               WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)`,
            [TABLES],
          )
        ).rows
      : [];
    for (const index of deferred) await client.query(`DROP INDEX "${index.name}"`);
    for (const { step, sql } of statements(options.accounts, options.contacts)) {
      const t0 = performance.now();
      const params = [options.workspaceId, COMPUTED_AT, modelVersionId];
      // Only the parameters a statement references: PostgreSQL rejects untyped unused ones.
      const used = Math.max(...[...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
      const result = await client.query(sql, params.slice(0, used));
      const ms = performance.now() - t0;
      steps.push({ step, rows: result.rowCount ?? 0, ms });
      log(`  ${step}: ${result.rowCount} rows in ${(ms / 1000).toFixed(1)} s`);
    }
    if (deferred.length) {
      const ti = performance.now();
      for (const index of deferred) await client.query(index.def);
      const ms = performance.now() - ti;
      steps.push({ step: 'secondary indexes', rows: deferred.length, ms });
      log(`  ${deferred.length} secondary indexes built in ${(ms / 1000).toFixed(1)} s`);
    }
    const tc = performance.now();
    await client.query('COMMIT');
    steps.push({ step: 'commit', rows: 0, ms: performance.now() - tc });
    if (options.skipForeignKeyChecks) await client.query('SET session_replication_role = origin');

    const ta = performance.now();
    const analyse = options.vacuum ? 'VACUUM (ANALYZE)' : 'ANALYZE';
    for (const table of TABLES) await client.query(`${analyse} ${table}`);
    steps.push({ step: analyse.toLowerCase(), rows: 0, ms: performance.now() - ta });
    log(`  ${analyse}: ${((performance.now() - ta) / 1000).toFixed(1)} s`);

    const rows: Record<string, number> = {};
    const sizes: Record<string, string> = {};
    for (const table of TABLES) {
      const { rows: r } = await client.query<{ n: number; size: string }>(
        `SELECT (SELECT count(*)::int FROM ${table} WHERE workspace_id = $1) AS n,
                pg_size_pretty(pg_total_relation_size($2::regclass)) AS size`,
        [options.workspaceId, table],
      );
      rows[table] = r[0]!.n;
      sizes[table] = r[0]!.size;
    }
    return { modelVersionId, totalMs: performance.now() - started, steps, rows, sizes };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
