import { createHash, randomBytes } from 'node:crypto';

export const API_SCOPES = ['READ', 'WRITE', 'ADMIN', 'SUBSCRIBE'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/**
 * Keys look like `qk_<workspace id, 32 hex>_<secret>`: the workspace part lets the
 * lookup use the (workspace_id, key_hash) unique index, as every key in Quorum begins
 * with the workspace. Only the SHA-256 of the whole key is stored.
 */
export function mintApiKey(workspaceId: string): {
  key: string;
  hash: string;
  displayPrefix: string;
} {
  const key = `qk_${workspaceId.replace(/-/g, '')}_${randomBytes(32).toString('base64url')}`;
  return { key, hash: hashApiKey(key), displayPrefix: key.slice(0, 12) + '…' + key.slice(-4) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The workspace id a key claims to belong to, or null when the key is malformed. */
export function workspaceIdOfKey(key: string): string | null {
  const match = /^qk_([0-9a-f]{32})_[A-Za-z0-9_-]{43}$/.exec(key);
  if (!match) return null;
  const h = match[1]!;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** ADMIN carries every other scope. */
export function hasScope(granted: readonly string[], needed: ApiScope): boolean {
  return granted.includes(needed) || granted.includes('ADMIN');
}
