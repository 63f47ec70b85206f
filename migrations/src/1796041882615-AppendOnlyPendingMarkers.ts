import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pending markers become append-only: one row per write instead of one per entity, so a
 * write never waits for a rescore that is claiming (deleting) the entity's earlier markers.
 */
export class AppendOnlyPendingMarkers1796041882615 implements MigrationInterface {
  name = 'AppendOnlyPendingMarkers1796041882615';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "pending_rescores" DROP CONSTRAINT "PK_e35f58a608d84c5e277b7530a43"`,
    );
    await queryRunner.query(`ALTER TABLE "pending_rescores" ADD "id" BIGSERIAL NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "pending_rescores" ADD CONSTRAINT "PK_9e051420155c0b5b32d4e600f3b" PRIMARY KEY ("workspace_id", "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_pending_rescores_entity" ON "pending_rescores"  ("workspace_id", "entity_type", "entity_id") `,
    );
    // A rescore job takes the oldest waiting markers of its workspace.
    await queryRunner.query(
      `CREATE INDEX "ix_pending_rescores_waiting" ON "pending_rescores"  ("workspace_id", "entity_type", "since", "id") `,
    );
    // An entity may now have several markers: the reconciler gets each entity once.
    await queryRunner.query(`CREATE OR REPLACE FUNCTION quorum_stale_pending_rescores(grace_ms double precision, max_rows integer)
      RETURNS TABLE (workspace_id uuid, entity_type varchar, entity_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT p.workspace_id, p.entity_type, p.entity_id FROM pending_rescores p
        WHERE p.since < now() - make_interval(secs => grace_ms / 1000)
        GROUP BY 1, 2, 3 ORDER BY min(p.since) LIMIT max_rows
      $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE FUNCTION quorum_stale_pending_rescores(grace_ms double precision, max_rows integer)
      RETURNS TABLE (workspace_id uuid, entity_type varchar, entity_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT p.workspace_id, p.entity_type, p.entity_id FROM pending_rescores p
        WHERE p.since < now() - make_interval(secs => grace_ms / 1000)
        ORDER BY p.since LIMIT max_rows
      $$`);
    await queryRunner.query(`DROP INDEX "public"."ix_pending_rescores_waiting"`);
    await queryRunner.query(`DROP INDEX "public"."ix_pending_rescores_entity"`);
    // Keep the oldest marker of each entity.
    await queryRunner.query(
      `DELETE FROM "pending_rescores" p USING "pending_rescores" q
       WHERE p.workspace_id = q.workspace_id AND p.entity_type = q.entity_type
         AND p.entity_id = q.entity_id AND p.id > q.id`,
    );
    await queryRunner.query(
      `ALTER TABLE "pending_rescores" DROP CONSTRAINT "PK_9e051420155c0b5b32d4e600f3b"`,
    );
    await queryRunner.query(`ALTER TABLE "pending_rescores" DROP COLUMN "id"`);
    await queryRunner.query(
      `ALTER TABLE "pending_rescores" ADD CONSTRAINT "PK_e35f58a608d84c5e277b7530a43" PRIMARY KEY ("workspace_id", "entity_type", "entity_id")`,
    );
  }
}
