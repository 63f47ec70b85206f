import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795460866392 implements MigrationInterface {
  name = 'InitialSchema1795460866392';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "workspaces" ("id" uuid NOT NULL, "name" character varying(200) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_098656ae401f3e1a4586f47fd8e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "accounts" ("workspace_id" uuid NOT NULL, "id" uuid NOT NULL, "domain" character varying(253) NOT NULL, "name" character varying(300), "industry" character varying(120), "employee_count" integer, "annual_revenue" double precision, "country" character varying(100), "region" character varying(100), "technologies" text array NOT NULL DEFAULT '{}', "owner_id" character varying(100), "attributes" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_85f74a4c9a16bf84bb4abb6aec7" PRIMARY KEY ("workspace_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_accounts_created" ON "accounts"  ("workspace_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_accounts_owner" ON "accounts"  ("workspace_id", "owner_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_accounts_domain" ON "accounts"  ("workspace_id", "domain") `,
    );
    await queryRunner.query(
      `CREATE TABLE "contacts" ("workspace_id" uuid NOT NULL, "id" uuid NOT NULL, "account_id" uuid, "email" character varying(320) NOT NULL, "first_name" character varying(100), "last_name" character varying(100), "title" character varying(200), "seniority" character varying(50), "department" character varying(100), "country" character varying(100), "unsubscribed" boolean NOT NULL DEFAULT false, "lifecycle_stage" character varying(20) NOT NULL DEFAULT 'LEAD', "attributes" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c415b7f622482a65eca9725bd82" PRIMARY KEY ("workspace_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_contacts_created" ON "contacts"  ("workspace_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_contacts_account" ON "contacts"  ("workspace_id", "account_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_contacts_email" ON "contacts"  ("workspace_id", "email") `,
    );
    await queryRunner.query(
      `CREATE TABLE "activities" ("workspace_id" uuid NOT NULL, "id" BIGSERIAL NOT NULL, "contact_id" uuid, "account_id" uuid, "type" character varying(30) NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "properties" jsonb NOT NULL DEFAULT '{}', "external_id" character varying(200) NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_12d66aa2ccdd9524c33ecfc83f2" PRIMARY KEY ("workspace_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_activities_account" ON "activities"  ("workspace_id", "account_id", "occurred_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_activities_contact" ON "activities"  ("workspace_id", "contact_id", "occurred_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_activities_external_id" ON "activities"  ("workspace_id", "external_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "api_keys" ("workspace_id" uuid NOT NULL, "id" uuid NOT NULL, "name" character varying(100) NOT NULL, "key_hash" character(64) NOT NULL, "display_prefix" character varying(32) NOT NULL, "scopes" text array NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_b08b43033d3d3a40cf23b5b7583" PRIMARY KEY ("workspace_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_api_keys_hash" ON "api_keys"  ("workspace_id", "key_hash") `,
    );
    await queryRunner.query(
      `CREATE TABLE "buying_groups" ("workspace_id" uuid NOT NULL, "id" uuid NOT NULL, "account_id" uuid NOT NULL, "name" character varying(200) NOT NULL, "required_roles" text array NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_733a9e1728054e131744b987cfb" PRIMARY KEY ("workspace_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_buying_groups_name" ON "buying_groups"  ("workspace_id", "account_id", "name") `,
    );
    await queryRunner.query(
      `CREATE TABLE "buying_group_members" ("workspace_id" uuid NOT NULL, "buying_group_id" uuid NOT NULL, "contact_id" uuid NOT NULL, "role" character varying(30) NOT NULL, "added_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9a1e5241025aff12b43bdf771af" PRIMARY KEY ("workspace_id", "buying_group_id", "contact_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_buying_group_members_contact" ON "buying_group_members"  ("workspace_id", "contact_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "accounts" ADD CONSTRAINT "FK_212b65ba4b65c8c6d2619f3681b" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "contacts" ADD CONSTRAINT "FK_a65be64e40ceb2856e46cb9f8a8" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "contacts" ADD CONSTRAINT "FK_01581b8215f088702a3d7c9981c" FOREIGN KEY ("workspace_id", "account_id") REFERENCES "accounts"("workspace_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "activities" ADD CONSTRAINT "FK_d68b4a23f4036c8bc8063cb988b" FOREIGN KEY ("workspace_id", "contact_id") REFERENCES "contacts"("workspace_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "activities" ADD CONSTRAINT "FK_f6f945522774678607eec7b4e60" FOREIGN KEY ("workspace_id", "account_id") REFERENCES "accounts"("workspace_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_keys" ADD CONSTRAINT "FK_deb68fe8625b21785d1c48283e4" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "buying_groups" ADD CONSTRAINT "FK_9727f861ceef2e964c71f6a34e5" FOREIGN KEY ("workspace_id", "account_id") REFERENCES "accounts"("workspace_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "buying_group_members" ADD CONSTRAINT "FK_6e4b9d5c9cf5bfeda0a3bed340d" FOREIGN KEY ("workspace_id", "buying_group_id") REFERENCES "buying_groups"("workspace_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "buying_group_members" ADD CONSTRAINT "FK_20a1cdf6d51ff4ef254c8386fa2" FOREIGN KEY ("workspace_id", "contact_id") REFERENCES "contacts"("workspace_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "buying_group_members" DROP CONSTRAINT "FK_20a1cdf6d51ff4ef254c8386fa2"`,
    );
    await queryRunner.query(
      `ALTER TABLE "buying_group_members" DROP CONSTRAINT "FK_6e4b9d5c9cf5bfeda0a3bed340d"`,
    );
    await queryRunner.query(
      `ALTER TABLE "buying_groups" DROP CONSTRAINT "FK_9727f861ceef2e964c71f6a34e5"`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_keys" DROP CONSTRAINT "FK_deb68fe8625b21785d1c48283e4"`,
    );
    await queryRunner.query(
      `ALTER TABLE "activities" DROP CONSTRAINT "FK_f6f945522774678607eec7b4e60"`,
    );
    await queryRunner.query(
      `ALTER TABLE "activities" DROP CONSTRAINT "FK_d68b4a23f4036c8bc8063cb988b"`,
    );
    await queryRunner.query(
      `ALTER TABLE "contacts" DROP CONSTRAINT "FK_01581b8215f088702a3d7c9981c"`,
    );
    await queryRunner.query(
      `ALTER TABLE "contacts" DROP CONSTRAINT "FK_a65be64e40ceb2856e46cb9f8a8"`,
    );
    await queryRunner.query(
      `ALTER TABLE "accounts" DROP CONSTRAINT "FK_212b65ba4b65c8c6d2619f3681b"`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_buying_group_members_contact"`);
    await queryRunner.query(`DROP TABLE "buying_group_members"`);
    await queryRunner.query(`DROP INDEX "public"."uq_buying_groups_name"`);
    await queryRunner.query(`DROP TABLE "buying_groups"`);
    await queryRunner.query(`DROP INDEX "public"."uq_api_keys_hash"`);
    await queryRunner.query(`DROP TABLE "api_keys"`);
    await queryRunner.query(`DROP INDEX "public"."uq_activities_external_id"`);
    await queryRunner.query(`DROP INDEX "public"."ix_activities_contact"`);
    await queryRunner.query(`DROP INDEX "public"."ix_activities_account"`);
    await queryRunner.query(`DROP TABLE "activities"`);
    await queryRunner.query(`DROP INDEX "public"."uq_contacts_email"`);
    await queryRunner.query(`DROP INDEX "public"."ix_contacts_account"`);
    await queryRunner.query(`DROP INDEX "public"."ix_contacts_created"`);
    await queryRunner.query(`DROP TABLE "contacts"`);
    await queryRunner.query(`DROP INDEX "public"."uq_accounts_domain"`);
    await queryRunner.query(`DROP INDEX "public"."ix_accounts_owner"`);
    await queryRunner.query(`DROP INDEX "public"."ix_accounts_created"`);
    await queryRunner.query(`DROP TABLE "accounts"`);
    await queryRunner.query(`DROP TABLE "workspaces"`);
  }
}
