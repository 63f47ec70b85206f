import { MigrationInterface, QueryRunner } from 'typeorm';

export class Outcomes1795464580444 implements MigrationInterface {
  name = 'Outcomes1795464580444';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "outcomes" ("workspace_id" uuid NOT NULL, "id" BIGSERIAL NOT NULL, "contact_id" uuid, "account_id" uuid, "type" character varying(30) NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "amount" double precision, "external_id" character varying(200) NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d001efb4055fa45c625043f92f1" PRIMARY KEY ("workspace_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_outcomes_account" ON "outcomes"  ("workspace_id", "account_id", "occurred_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_outcomes_contact" ON "outcomes"  ("workspace_id", "contact_id", "occurred_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_outcomes_external_id" ON "outcomes"  ("workspace_id", "external_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "outcomes" ADD CONSTRAINT "FK_a2895e72d6a8b8e4d1605402a93" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "outcomes" DROP CONSTRAINT "FK_a2895e72d6a8b8e4d1605402a93"`,
    );
    await queryRunner.query(`DROP INDEX "public"."uq_outcomes_external_id"`);
    await queryRunner.query(`DROP INDEX "public"."ix_outcomes_contact"`);
    await queryRunner.query(`DROP INDEX "public"."ix_outcomes_account"`);
    await queryRunner.query(`DROP TABLE "outcomes"`);
  }
}
