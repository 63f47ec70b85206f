import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  type Cipher,
  type Decipher,
} from 'node:crypto';
import type { Database, WorkspaceId } from '@quorum/persistence';
import { InputError } from './errors';

export type EventKind = 'lead' | 'account' | 'lifecycle';

/** `lead:123`: the form events have inside Quorum (in Redis, in logs): the history row's id. */
const INTERNAL = /^(lead|account|lifecycle):(\d{1,18})$/;
/** `lead:<22 base64url characters>`: one AES block, the form partners see. */
const PUBLIC = /^(lead|account|lifecycle):([A-Za-z0-9_-]{22})$/;

interface WorkspaceCipher {
  encrypt: Cipher;
  decrypt: Decipher;
  /** Per kind: the first 8 bytes of every block, so a forged or foreign id is recognised. */
  tags: Record<EventKind, Buffer>;
  /** The highest plain ids the workspace was given before ids were encrypted. */
  legacy: Partial<Record<EventKind, bigint>>;
}

/**
 * Event ids as partners see them. Inside Quorum an event id is its history row's id, one
 * sequence for every workspace; handed out as is, the gap between two ids would show a tenant
 * how much every other tenant scored meanwhile. So the API hands out each id encrypted with the
 * workspace's own key: one AES-256 block holding a tag (the kind, under the key) and the row id.
 * The same row always gives the same id (a replayed event equals its live twin), an id says
 * nothing about order or volume, and one of another workspace or kind fails the tag check.
 *
 * `since` also takes the plain ids of before (`lead:48213`), up to the highest the workspace
 * was given, so partners resume across the upgrade.
 */
export class EventIdCodec {
  private readonly ciphers = new Map<string, WorkspaceCipher>();

  constructor(private readonly db: Database) {}

  /** Loads the workspace's key (once per process); `encode` and `decode` need it. */
  async prepare(ws: WorkspaceId): Promise<void> {
    if (this.ciphers.has(ws)) return;
    const keys = await this.db.repos.workspaces.eventIdKeys(ws);
    if (!keys) throw new Error(`workspace ${ws} not found`);
    const key = Buffer.from(keys.eventIdKey);
    const tag = (kind: EventKind) =>
      createHmac('sha256', key).update(`quorum event id:${kind}`).digest().subarray(0, 8);
    const legacy: Partial<Record<EventKind, bigint>> = {};
    for (const kind of ['lead', 'account', 'lifecycle'] as const) {
      const max = keys.legacyEventIds?.[kind];
      if (max !== null && max !== undefined) legacy[kind] = BigInt(max);
    }
    this.ciphers.set(ws, {
      encrypt: createCipheriv('aes-256-ecb', key, null).setAutoPadding(false),
      decrypt: createDecipheriv('aes-256-ecb', key, null).setAutoPadding(false),
      tags: { lead: tag('lead'), account: tag('account'), lifecycle: tag('lifecycle') },
      legacy,
    });
  }

  /** The public form of an internal event id; ids of other forms (backfill progress) pass as is. */
  encode(ws: WorkspaceId, eventId: string): string {
    const match = INTERNAL.exec(eventId);
    if (!match) return eventId;
    const kind = match[1] as EventKind;
    const c = this.cipherOf(ws);
    const block = Buffer.alloc(16);
    c.tags[kind].copy(block, 0);
    block.writeBigUInt64BE(BigInt(match[2]!), 8);
    // ECB over exactly one block without padding: update() returns the whole block.
    return `${kind}:${c.encrypt.update(block).toString('base64url')}`;
  }

  /**
   * The history row id a public event id (or a plain one of before) names, for `since`.
   * Throws an InputError on `path` for anything else.
   */
  decode(ws: WorkspaceId, eventId: string, kind: EventKind, path = 'since'): string {
    const c = this.cipherOf(ws);
    const refuse = () =>
      new InputError([{ path, message: `is not a ${kind} event id of this workspace` }]);
    const plain = INTERNAL.exec(eventId);
    if (plain) {
      const limit = c.legacy[kind as EventKind];
      if (plain[1] !== kind || limit === undefined || BigInt(plain[2]!) > limit) throw refuse();
      return plain[2]!;
    }
    const match = PUBLIC.exec(eventId);
    if (!match || match[1] !== kind) throw refuse();
    const sealed = Buffer.from(match[2]!, 'base64url');
    if (sealed.length !== 16) throw refuse();
    const block = c.decrypt.update(sealed);
    if (!block.subarray(0, 8).equals(c.tags[kind])) throw refuse();
    return block.readBigUInt64BE(8).toString();
  }

  private cipherOf(ws: WorkspaceId): WorkspaceCipher {
    const c = this.ciphers.get(ws);
    if (!c) throw new Error(`event id key of workspace ${ws} not loaded (call prepare first)`);
    return c;
  }
}
