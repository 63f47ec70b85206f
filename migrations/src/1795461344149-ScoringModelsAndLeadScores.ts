import { MigrationInterface, QueryRunner } from 'typeorm';

export class ScoringModelsAndLeadScores1795461344149 implements MigrationInterface {
  name = 'ScoringModelsAndLeadScores1795461344149';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "lead_score_history" ("workspace_id" uuid NOT NULL, "id" BIGSERIAL NOT NULL, "contact_id" uuid NOT NULL, "model_version_id" uuid NOT NULL, "old_total" double precision, "new_total" double precision NOT NULL, "old_tier" character varying(50), "new_tier" character varying(50) NOT NULL, "cause" character varying(40) NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_59deec8be73884ae8853eb12ee3" PRIMARY KEY ("workspace_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_lead_score_history_contact" ON "lead_score_history"  ("workspace_id", "contact_id", "at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "lead_scores" ("workspace_id" uuid NOT NULL, "contact_id" uuid NOT NULL, "model_version_id" uuid NOT NULL, "fit" double precision NOT NULL, "engagement" double precision NOT NULL, "negative" double precision NOT NULL, "total" double precision NOT NULL, "tier" character varying(50) NOT NULL, "grade" character varying(20) NOT NULL, "quadrant" character varying(40) NOT NULL, "action" character varying(30) NOT NULL, "override" jsonb, "reasons" jsonb NOT NULL, "last_activity_at" TIMESTAMP WITH TIME ZONE, "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_451b4857003e241ee73ccf2388a" PRIMARY KEY ("workspace_id", "contact_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_lead_scores_tier" ON "lead_scores"  ("workspace_id", "tier") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_lead_scores_total" ON "lead_scores"  ("workspace_id", "total", "contact_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "lifecycle_events" ("workspace_id" uuid NOT NULL, "id" BIGSERIAL NOT NULL, "contact_id" uuid NOT NULL, "from_stage" character varying(20) NOT NULL, "to_stage" character varying(20) NOT NULL, "reactivated" boolean NOT NULL, "model_version_id" uuid NOT NULL, "total" double precision NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_a9c2ebeff06017639b66b93dd15" PRIMARY KEY ("workspace_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_lifecycle_events_contact" ON "lifecycle_events"  ("workspace_id", "contact_id", "at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "scoring_model_audit" ("workspace_id" uuid NOT NULL, "id" BIGSERIAL NOT NULL, "action" character varying(20) NOT NULL, "from_version_id" uuid, "to_version_id" uuid NOT NULL, "actor_key_id" uuid, "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_07095b8ccbb7347c4288180a1c3" PRIMARY KEY ("workspace_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_scoring_model_audit_at" ON "scoring_model_audit"  ("workspace_id", "at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "scoring_model_versions" ("workspace_id" uuid NOT NULL, "id" uuid NOT NULL, "version" integer NOT NULL, "status" character varying(20) NOT NULL, "description" character varying(200), "definition" jsonb NOT NULL, "based_on_id" uuid, "is_active" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "published_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_3a8eb05954939909d4645d2cecc" PRIMARY KEY ("workspace_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_scoring_model_versions_active" ON "scoring_model_versions"  ("workspace_id") WHERE "is_active"`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_scoring_model_versions_version" ON "scoring_model_versions"  ("workspace_id", "version") `,
    );
    await queryRunner.query(
      `ALTER TABLE "contacts" ADD "below_mql_since" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `ALTER TABLE "lead_score_history" ADD CONSTRAINT "FK_3d631f4204bd1df0c82f9a3a106" FOREIGN KEY ("workspace_id", "contact_id") REFERENCES "contacts"("workspace_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "lead_scores" ADD CONSTRAINT "FK_451b4857003e241ee73ccf2388a" FOREIGN KEY ("workspace_id", "contact_id") REFERENCES "contacts"("workspace_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "lifecycle_events" ADD CONSTRAINT "FK_671bb17e0093ec3fd34bbd9dfa9" FOREIGN KEY ("workspace_id", "contact_id") REFERENCES "contacts"("workspace_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "scoring_model_audit" ADD CONSTRAINT "FK_9b827dc551dc379be6ef8cb5ee7" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "scoring_model_versions" ADD CONSTRAINT "FK_0dea226e80309b7bfc73b20ed4b" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "scoring_model_versions" DROP CONSTRAINT "FK_0dea226e80309b7bfc73b20ed4b"`,
    );
    await queryRunner.query(
      `ALTER TABLE "scoring_model_audit" DROP CONSTRAINT "FK_9b827dc551dc379be6ef8cb5ee7"`,
    );
    await queryRunner.query(
      `ALTER TABLE "lifecycle_events" DROP CONSTRAINT "FK_671bb17e0093ec3fd34bbd9dfa9"`,
    );
    await queryRunner.query(
      `ALTER TABLE "lead_scores" DROP CONSTRAINT "FK_451b4857003e241ee73ccf2388a"`,
    );
    await queryRunner.query(
      `ALTER TABLE "lead_score_history" DROP CONSTRAINT "FK_3d631f4204bd1df0c82f9a3a106"`,
    );
    await queryRunner.query(`ALTER TABLE "contacts" DROP COLUMN "below_mql_since"`);
    await queryRunner.query(`DROP INDEX "public"."uq_scoring_model_versions_version"`);
    await queryRunner.query(`DROP INDEX "public"."uq_scoring_model_versions_active"`);
    await queryRunner.query(`DROP TABLE "scoring_model_versions"`);
    await queryRunner.query(`DROP INDEX "public"."ix_scoring_model_audit_at"`);
    await queryRunner.query(`DROP TABLE "scoring_model_audit"`);
    await queryRunner.query(`DROP INDEX "public"."ix_lifecycle_events_contact"`);
    await queryRunner.query(`DROP TABLE "lifecycle_events"`);
    await queryRunner.query(`DROP INDEX "public"."ix_lead_scores_total"`);
    await queryRunner.query(`DROP INDEX "public"."ix_lead_scores_tier"`);
    await queryRunner.query(`DROP TABLE "lead_scores"`);
    await queryRunner.query(`DROP INDEX "public"."ix_lead_score_history_contact"`);
    await queryRunner.query(`DROP TABLE "lead_score_history"`);
  }
}
