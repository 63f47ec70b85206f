import { MigrationInterface, QueryRunner } from 'typeorm';

export class AdminAuditLog1795464042596 implements MigrationInterface {
  name = 'AdminAuditLog1795464042596';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "admin_audit_log" ("workspace_id" uuid NOT NULL, "id" BIGSERIAL NOT NULL, "action" character varying(40) NOT NULL, "actor_key_id" uuid, "target_type" character varying(30) NOT NULL, "target_id" character varying(100) NOT NULL, "details" jsonb NOT NULL DEFAULT '{}', "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_62ec399af17d5f77889055599f1" PRIMARY KEY ("workspace_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_admin_audit_log_at" ON "admin_audit_log"  ("workspace_id", "at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "admin_audit_log" ADD CONSTRAINT "FK_893a4314841e6d9b69078c7cc88" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "admin_audit_log" DROP CONSTRAINT "FK_893a4314841e6d9b69078c7cc88"`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_admin_audit_log_at"`);
    await queryRunner.query(`DROP TABLE "admin_audit_log"`);
  }
}
