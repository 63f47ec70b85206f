import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'workspaces' })
export class WorkspaceEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('varchar', { length: 200 })
  name!: string;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt!: Date;

  /** Encrypts the event ids the API hands out (see EventIdCodec); 32 random bytes. */
  @Column('bytea', { default: () => 'quorum_random_key()' })
  eventIdKey!: Buffer;

  /**
   * The highest plain (pre-encryption) event id of each kind this workspace was given, which
   * `since` still accepts; null for workspaces created since.
   */
  @Column('jsonb', { nullable: true })
  legacyEventIds!: Partial<Record<'lead' | 'account' | 'lifecycle', string | number | null>> | null;
}
