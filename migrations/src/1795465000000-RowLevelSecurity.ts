import { MigrationInterface, QueryRunner } from 'typeorm';

/** Every table that holds one workspace's rows; `workspaces` itself is keyed by `id`. */
export const WORKSPACE_OWNED_TABLES = [
  'account_score_history',
  'account_scores',
  'accounts',
  'activities',
  'admin_audit_log',
  'api_keys',
  'buying_group_members',
  'buying_group_scores',
  'buying_groups',
  'contacts',
  'lead_score_history',
  'lead_scores',
  'lifecycle_events',
  'outcomes',
  'pending_rescores',
  'scoring_backfills',
  'scoring_model_audit',
  'scoring_model_versions',
];

// Unset, or reset to '' after a SET LOCAL ended on this pooled connection: no workspace.
const CURRENT_WORKSPACE = `NULLIF(current_setting('quorum.workspace_id', true), '')::uuid`;

/**
 * Row-level security behind the repository layer. The application connects as
 * `quorum_app`, which owns no table and cannot bypass policies, and sets
 * `quorum.workspace_id` with SET LOCAL in every transaction. The few cross-workspace
 * reads the worker needs (stale markers, unfinished backfills, workspaces with an active
 * model) are SECURITY DEFINER functions that return ids only.
 */
export class RowLevelSecurity1795465000000 implements MigrationInterface {
  name = 'RowLevelSecurity1795465000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Roles are cluster-wide: another database (or a concurrent migration) may have made it.
    await queryRunner.query(`DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'quorum_app') THEN
          CREATE ROLE quorum_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
        END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO quorum_app`);
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO quorum_app`,
    );
    await queryRunner.query(`REVOKE INSERT, UPDATE, DELETE ON typeorm_migrations FROM quorum_app`);
    await queryRunner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO quorum_app`);
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO quorum_app`,
    );
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO quorum_app`,
    );

    await queryRunner.query(`ALTER TABLE workspaces ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(
      `CREATE POLICY workspace_isolation ON workspaces USING (id = ${CURRENT_WORKSPACE}) WITH CHECK (id = ${CURRENT_WORKSPACE})`,
    );
    for (const table of WORKSPACE_OWNED_TABLES) {
      await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(
        `CREATE POLICY workspace_isolation ON ${table} USING (workspace_id = ${CURRENT_WORKSPACE}) WITH CHECK (workspace_id = ${CURRENT_WORKSPACE})`,
      );
    }

    await queryRunner.query(`CREATE FUNCTION quorum_stale_pending_rescores(grace_ms double precision, max_rows integer)
      RETURNS TABLE (workspace_id uuid, entity_type varchar, entity_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT p.workspace_id, p.entity_type, p.entity_id FROM pending_rescores p
        WHERE p.since < now() - make_interval(secs => grace_ms / 1000)
        ORDER BY p.since LIMIT max_rows
      $$`);
    await queryRunner.query(`CREATE FUNCTION quorum_unfinished_backfills()
      RETURNS TABLE (workspace_id uuid, id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT b.workspace_id, b.id FROM scoring_backfills b
        WHERE b.status IN ('PENDING', 'RUNNING') ORDER BY b.created_at LIMIT 100
      $$`);
    await queryRunner.query(`CREATE FUNCTION quorum_workspaces_with_active_model()
      RETURNS TABLE (workspace_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT v.workspace_id FROM scoring_model_versions v WHERE v.is_active ORDER BY 1
      $$`);
    for (const fn of [
      'quorum_stale_pending_rescores(double precision, integer)',
      'quorum_unfinished_backfills()',
      'quorum_workspaces_with_active_model()',
    ]) {
      await queryRunner.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await queryRunner.query(`GRANT EXECUTE ON FUNCTION ${fn} TO quorum_app`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION quorum_workspaces_with_active_model()`);
    await queryRunner.query(`DROP FUNCTION quorum_unfinished_backfills()`);
    await queryRunner.query(
      `DROP FUNCTION quorum_stale_pending_rescores(double precision, integer)`,
    );
    for (const table of ['workspaces', ...WORKSPACE_OWNED_TABLES]) {
      await queryRunner.query(`DROP POLICY workspace_isolation ON ${table}`);
      await queryRunner.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
    }
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM quorum_app`,
    );
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM quorum_app`,
    );
    await queryRunner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM quorum_app`);
    await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM quorum_app`);
    await queryRunner.query(`REVOKE USAGE ON SCHEMA public FROM quorum_app`);
  }
}
