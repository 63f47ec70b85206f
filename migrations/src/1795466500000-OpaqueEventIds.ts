import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Event ids were the history rows' ids, one sequence for every workspace, so the gap between
 * two of a tenant's event ids showed how much every other tenant had scored meanwhile. The API
 * now hands out ids encrypted with a key of the workspace's own (`event_id_key`, 32 random
 * bytes; `quorum_random_key()` draws them from PostgreSQL's strong random source).
 *
 * Partners may hold an old id to resume from: `legacy_event_ids` keeps, per kind, the highest
 * id the workspace had been given, and `since` still accepts a plain number up to it. Nothing
 * higher was ever handed out as a number, so probing with numbers tells nothing new.
 */
export class OpaqueEventIds1795466500000 implements MigrationInterface {
  name = 'OpaqueEventIds1795466500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION quorum_random_key() RETURNS bytea
      LANGUAGE sql VOLATILE AS $$
        SELECT sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8'))
      $$`);
    // A volatile default: every existing workspace gets a key of its own.
    await queryRunner.query(
      `ALTER TABLE "workspaces" ADD "event_id_key" bytea NOT NULL DEFAULT quorum_random_key()`,
    );
    await queryRunner.query(`ALTER TABLE "workspaces" ADD "legacy_event_ids" jsonb`);
    await queryRunner.query(`UPDATE "workspaces" w SET "legacy_event_ids" = jsonb_build_object(
        'lead', (SELECT max(id) FROM lead_score_history h WHERE h.workspace_id = w.id),
        'account', (SELECT max(id) FROM account_score_history h WHERE h.workspace_id = w.id),
        'lifecycle', (SELECT max(id) FROM lifecycle_events e WHERE e.workspace_id = w.id))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "workspaces" DROP COLUMN "legacy_event_ids"`);
    await queryRunner.query(`ALTER TABLE "workspaces" DROP COLUMN "event_id_key"`);
    await queryRunner.query(`DROP FUNCTION quorum_random_key()`);
  }
}
