const STORAGE_KEY = 'quorum.dashboard.apiKey';

/**
 * The API key is kept in this tab's sessionStorage: it survives a reload but not closing the
 * tab, and no other tab or page of the origin (Apollo's landing page, bull-board) can read
 * it later. Each new tab signs in again.
 */
export function loadApiKey(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function saveApiKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function clearApiKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

export const GRAPHQL_PATH = '/graphql';

/**
 * Checks a key before keeping it: the workspace it belongs to, or the reason it was
 * refused, in words a user can act on.
 */
export async function verifyApiKey(
  key: string,
): Promise<{ ok: true; workspace: string } | { ok: false; message: string }> {
  let response: Response;
  try {
    response = await fetch(GRAPHQL_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ workspace { name } }' }),
    });
  } catch {
    return { ok: false, message: 'Quorum is not reachable from this page.' };
  }
  const body = (await response.json().catch(() => null)) as {
    data?: { workspace?: { name: string } | null } | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  } | null;
  const workspace = body?.data?.workspace?.name;
  if (workspace) return { ok: true, workspace };
  const error = body?.errors?.[0];
  if (error?.extensions?.code === 'UNAUTHENTICATED')
    return { ok: false, message: 'This API key is unknown or revoked.' };
  if (error?.extensions?.code === 'FORBIDDEN')
    return { ok: false, message: 'This API key lacks the READ scope.' };
  return { ok: false, message: error?.message ?? `Quorum answered HTTP ${response.status}.` };
}
