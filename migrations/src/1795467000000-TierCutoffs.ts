import type { MigrationInterface, QueryRunner } from 'typeorm';

const CURRENT_WORKSPACE = `NULLIF(current_setting('quorum.workspace_id', true), '')::uuid`;

/**
 * Cut-offs of tiers set by share of the workspace (the top 10% are HOT), kept current by the
 * worker as scores move. Workspace-owned, so row-level security isolates it like every other.
 */
export class TierCutoffs1795467000000 implements MigrationInterface {
  name = 'TierCutoffs1795467000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "tier_cutoffs" ("workspace_id" uuid NOT NULL, "model_version_id" uuid NOT NULL, "lead" jsonb NOT NULL, "account" jsonb NOT NULL, "lead_scores" integer NOT NULL, "account_scores" integer NOT NULL, "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_03bc2e9bddf06bf2affd24cd103" PRIMARY KEY ("workspace_id", "model_version_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "tier_cutoffs" ADD CONSTRAINT "FK_db47f6d3e98166537b9ff9d1e9f" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE tier_cutoffs ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(
      `CREATE POLICY workspace_isolation ON tier_cutoffs USING (workspace_id = ${CURRENT_WORKSPACE}) WITH CHECK (workspace_id = ${CURRENT_WORKSPACE})`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP POLICY workspace_isolation ON tier_cutoffs`);
    await queryRunner.query(
      `ALTER TABLE "tier_cutoffs" DROP CONSTRAINT "FK_db47f6d3e98166537b9ff9d1e9f"`,
    );
    await queryRunner.query(`DROP TABLE "tier_cutoffs"`);
  }
}
