import { MigrationInterface, QueryRunner } from 'typeorm';

export class AccountAndBuyingGroupScores1795461913739 implements MigrationInterface {
  name = 'AccountAndBuyingGroupScores1795461913739';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "account_score_history" ("workspace_id" uuid NOT NULL, "id" BIGSERIAL NOT NULL, "account_id" uuid NOT NULL, "model_version_id" uuid NOT NULL, "old_total" double precision, "new_total" double precision NOT NULL, "old_tier" character varying(50), "new_tier" character varying(50) NOT NULL, "cause" character varying(40) NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_827950c1ced70368f2b24cf6172" PRIMARY KEY ("workspace_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_account_score_history_at" ON "account_score_history"  ("workspace_id", "at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_account_score_history_account" ON "account_score_history"  ("workspace_id", "account_id", "at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "account_scores" ("workspace_id" uuid NOT NULL, "account_id" uuid NOT NULL, "model_version_id" uuid NOT NULL, "fit" double precision NOT NULL, "rollup" double precision NOT NULL, "committee" double precision NOT NULL, "intent" double precision NOT NULL, "engagement" double precision NOT NULL, "total" double precision NOT NULL, "score_change" double precision NOT NULL DEFAULT '0', "tier" character varying(50) NOT NULL, "tier_since" TIMESTAMP WITH TIME ZONE NOT NULL, "quadrant" character varying(40) NOT NULL, "action" character varying(30) NOT NULL, "engaged_contacts" integer NOT NULL, "coverage" double precision NOT NULL, "decision_maker_engaged" boolean NOT NULL, "surging" boolean NOT NULL, "signals" jsonb NOT NULL, "reasons" jsonb NOT NULL, "last_activity_at" TIMESTAMP WITH TIME ZONE, "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_5234e4b121b325900dd85256fd3" PRIMARY KEY ("workspace_id", "account_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_account_scores_last_activity" ON "account_scores"  ("workspace_id", "last_activity_at", "account_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_account_scores_change" ON "account_scores"  ("workspace_id", "score_change", "account_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_account_scores_priority" ON "account_scores"  ("workspace_id", "total", "account_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "buying_group_scores" ("workspace_id" uuid NOT NULL, "buying_group_id" uuid NOT NULL, "account_id" uuid NOT NULL, "engagement" double precision NOT NULL, "completeness" double precision NOT NULL, "engaged_completeness" double precision NOT NULL, "missing_roles" text array NOT NULL, "engaged_roles" text array NOT NULL, "members" jsonb NOT NULL, "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_372d8a2556daa6f9af4580b9fc0" PRIMARY KEY ("workspace_id", "buying_group_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_buying_group_scores_account" ON "buying_group_scores"  ("workspace_id", "account_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "lead_scores" ADD "tier_since" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`,
    );
    await queryRunner.query(
      `ALTER TABLE "account_score_history" ADD CONSTRAINT "FK_486f40ad5ab58f10e9b81177991" FOREIGN KEY ("workspace_id", "account_id") REFERENCES "accounts"("workspace_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "account_scores" ADD CONSTRAINT "FK_5234e4b121b325900dd85256fd3" FOREIGN KEY ("workspace_id", "account_id") REFERENCES "accounts"("workspace_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "buying_group_scores" ADD CONSTRAINT "FK_372d8a2556daa6f9af4580b9fc0" FOREIGN KEY ("workspace_id", "buying_group_id") REFERENCES "buying_groups"("workspace_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "buying_group_scores" DROP CONSTRAINT "FK_372d8a2556daa6f9af4580b9fc0"`,
    );
    await queryRunner.query(
      `ALTER TABLE "account_scores" DROP CONSTRAINT "FK_5234e4b121b325900dd85256fd3"`,
    );
    await queryRunner.query(
      `ALTER TABLE "account_score_history" DROP CONSTRAINT "FK_486f40ad5ab58f10e9b81177991"`,
    );
    await queryRunner.query(`ALTER TABLE "lead_scores" DROP COLUMN "tier_since"`);
    await queryRunner.query(`DROP INDEX "public"."ix_buying_group_scores_account"`);
    await queryRunner.query(`DROP TABLE "buying_group_scores"`);
    await queryRunner.query(`DROP INDEX "public"."ix_account_scores_priority"`);
    await queryRunner.query(`DROP INDEX "public"."ix_account_scores_change"`);
    await queryRunner.query(`DROP INDEX "public"."ix_account_scores_last_activity"`);
    await queryRunner.query(`DROP TABLE "account_scores"`);
    await queryRunner.query(`DROP INDEX "public"."ix_account_score_history_account"`);
    await queryRunner.query(`DROP INDEX "public"."ix_account_score_history_at"`);
    await queryRunner.query(`DROP TABLE "account_score_history"`);
  }
}
