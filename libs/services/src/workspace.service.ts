import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { Clock } from '@quorum/config';
import {
  trustedWorkspaceId,
  type ApiKeyEntity,
  type Database,
  type Repositories,
  type WorkspaceEntity,
  type WorkspaceId,
} from '@quorum/persistence';
import {
  hashApiKey,
  mintApiKey,
  workspaceIdOfKey,
  API_SCOPES,
  type ApiScope,
} from './api-key-format';
import { IssueCollector, NotFoundError } from './errors';
import { isUuid, optionalText } from './field-checks';

export interface AuthenticatedKey {
  workspaceId: WorkspaceId;
  keyId: string;
  scopes: ApiScope[];
}

export interface CreatedApiKey {
  apiKey: ApiKeyEntity;
  /** The full key; shown once, never stored. */
  secret: string;
}

/** Hook for what every new workspace needs besides its first key (e.g. a default model). */
export type WorkspaceInitializer = (ws: WorkspaceId, db: Repositories) => Promise<void>;

export class WorkspaceService {
  private readonly initializers: WorkspaceInitializer[] = [];

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  onWorkspaceCreated(initializer: WorkspaceInitializer): void {
    this.initializers.push(initializer);
  }

  async createWorkspace(name: string): Promise<{ workspace: WorkspaceEntity } & CreatedApiKey> {
    const issues = new IssueCollector();
    const cleanName = optionalText(issues, 'name', name, 200);
    if (!cleanName) issues.add('name', 'must not be empty');
    issues.throwIfAny();
    const ws = trustedWorkspaceId(randomUUID());
    return this.db.transaction(ws, async (repos) => {
      const workspace = await repos.workspaces.insert(ws, cleanName!);
      const created = await this.insertKey(repos, ws, 'Initial admin key', [...API_SCOPES], null);
      for (const init of this.initializers) await init(ws, repos);
      return { workspace, ...created };
    });
  }

  async createApiKey(
    ws: WorkspaceId,
    name: string,
    scopes: ApiScope[],
    actorKeyId: string | null,
  ): Promise<CreatedApiKey> {
    const issues = new IssueCollector();
    const cleanName = optionalText(issues, 'name', name, 100);
    if (!cleanName) issues.add('name', 'must not be empty');
    if (scopes.length === 0) issues.add('scopes', 'must name at least one scope');
    issues.throwIfAny();
    return this.db.transaction(ws, (repos) =>
      this.insertKey(repos, ws, cleanName!, [...new Set(scopes)], actorKeyId),
    );
  }

  private async insertKey(
    repos: Repositories,
    ws: WorkspaceId,
    name: string,
    scopes: ApiScope[],
    actorKeyId: string | null,
  ): Promise<CreatedApiKey> {
    const minted = mintApiKey(ws);
    const apiKey = await repos.workspaces.insertApiKey(ws, {
      id: randomUUID(),
      name,
      keyHash: minted.hash,
      displayPrefix: minted.displayPrefix,
      scopes,
    });
    await repos.audit.record(ws, {
      action: 'API_KEY_CREATED',
      actorKeyId,
      targetType: 'API_KEY',
      targetId: apiKey.id,
      details: { name, scopes },
      at: this.clock.now(),
    });
    return { apiKey, secret: minted.key };
  }

  async revokeApiKey(
    ws: WorkspaceId,
    keyId: string,
    actorKeyId: string | null,
  ): Promise<ApiKeyEntity> {
    if (!isUuid(keyId)) throw new NotFoundError('ApiKey', keyId, 'id');
    return this.db.transaction(ws, async (repos) => {
      const revoked = await repos.workspaces.revokeApiKey(ws, keyId, this.clock.now());
      if (!revoked) throw new NotFoundError('ApiKey', keyId, 'id');
      await repos.audit.record(ws, {
        action: 'API_KEY_REVOKED',
        actorKeyId,
        targetType: 'API_KEY',
        targetId: keyId,
        details: { name: revoked.name },
        at: this.clock.now(),
      });
      return revoked;
    });
  }

  listApiKeys(ws: WorkspaceId): Promise<ApiKeyEntity[]> {
    return this.db.repos.workspaces.listApiKeys(ws);
  }

  async getWorkspace(ws: WorkspaceId): Promise<WorkspaceEntity> {
    const workspace = await this.db.repos.workspaces.findById(ws);
    if (!workspace) throw new NotFoundError('Workspace', ws);
    return workspace;
  }

  /** The key's workspace and scopes, or null when the key is unknown, malformed or revoked. */
  async authenticate(key: string): Promise<AuthenticatedKey | null> {
    const workspaceId = workspaceIdOfKey(key);
    if (!workspaceId) return null;
    const ws = trustedWorkspaceId(workspaceId);
    const hash = hashApiKey(key);
    const found = await this.db.repos.workspaces.findApiKeyByHash(ws, hash);
    if (!found || found.revokedAt) return null;
    if (!timingSafeEqual(Buffer.from(found.keyHash), Buffer.from(hash))) return null;
    return { workspaceId: ws, keyId: found.id, scopes: found.scopes as ApiScope[] };
  }
}

/** Compares the server admin token in constant time. */
export function isAdminToken(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
