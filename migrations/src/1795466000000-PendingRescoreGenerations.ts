import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A marker's generation grows with every write that marks it, so a rescore can delete
 * exactly the markers it read (by generation) when it commits, instead of holding them
 * locked from its start, which made ingest wait for whole rescore transactions.
 */
export class PendingRescoreGenerations1795466000000 implements MigrationInterface {
  name = 'PendingRescoreGenerations1795466000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "pending_rescores" ADD "generation" integer NOT NULL DEFAULT 0`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "pending_rescores" DROP COLUMN "generation"`);
  }
}
