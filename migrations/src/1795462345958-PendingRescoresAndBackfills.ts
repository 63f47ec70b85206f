import { MigrationInterface, QueryRunner } from 'typeorm';

export class PendingRescoresAndBackfills1795462345958 implements MigrationInterface {
  name = 'PendingRescoresAndBackfills1795462345958';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "pending_rescores" ("workspace_id" uuid NOT NULL, "entity_type" character varying(10) NOT NULL, "entity_id" uuid NOT NULL, "since" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e35f58a608d84c5e277b7530a43" PRIMARY KEY ("workspace_id", "entity_type", "entity_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_pending_rescores_since" ON "pending_rescores"  ("since") `,
    );
    await queryRunner.query(
      `CREATE TABLE "scoring_backfills" ("workspace_id" uuid NOT NULL, "id" uuid NOT NULL, "status" character varying(20) NOT NULL, "cause" character varying(40) NOT NULL, "model_version_id" uuid NOT NULL, "total" integer NOT NULL DEFAULT '0', "done" integer NOT NULL DEFAULT '0', "failed" integer NOT NULL DEFAULT '0', "phase" character varying(10) NOT NULL DEFAULT 'CONTACT', "cursor" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_b1952c056e73b1b6627b7d90601" PRIMARY KEY ("workspace_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_scoring_backfills_created" ON "scoring_backfills"  ("workspace_id", "created_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "pending_rescores" ADD CONSTRAINT "FK_09ebb1c78286d092dac0104a069" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "scoring_backfills" ADD CONSTRAINT "FK_7bd2a4d046fb7a2bbe93e294288" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "scoring_backfills" DROP CONSTRAINT "FK_7bd2a4d046fb7a2bbe93e294288"`,
    );
    await queryRunner.query(
      `ALTER TABLE "pending_rescores" DROP CONSTRAINT "FK_09ebb1c78286d092dac0104a069"`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_scoring_backfills_created"`);
    await queryRunner.query(`DROP TABLE "scoring_backfills"`);
    await queryRunner.query(`DROP INDEX "public"."ix_pending_rescores_since"`);
    await queryRunner.query(`DROP TABLE "pending_rescores"`);
  }
}
