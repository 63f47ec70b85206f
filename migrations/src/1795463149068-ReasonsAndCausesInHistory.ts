import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReasonsAndCausesInHistory1795463149068 implements MigrationInterface {
  name = 'ReasonsAndCausesInHistory1795463149068';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "account_score_history" ADD "reasons" jsonb`);
    await queryRunner.query(`ALTER TABLE "lead_score_history" ADD "reasons" jsonb`);
    await queryRunner.query(
      `ALTER TABLE "lifecycle_events" ADD "cause" character varying(40) NOT NULL DEFAULT 'ACTIVITY'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "lifecycle_events" DROP COLUMN "cause"`);
    await queryRunner.query(`ALTER TABLE "lead_score_history" DROP COLUMN "reasons"`);
    await queryRunner.query(`ALTER TABLE "account_score_history" DROP COLUMN "reasons"`);
  }
}
