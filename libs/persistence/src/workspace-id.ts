declare const workspaceBrand: unique symbol;

/**
 * A workspace id that an authenticated caller is allowed to act in. Every repository
 * call takes one, so a query that forgets its tenant does not compile. Only the
 * authentication layer (and trusted jobs that read it back from a stored row) mint them.
 */
export type WorkspaceId = string & { readonly [workspaceBrand]: true };

export function trustedWorkspaceId(id: string): WorkspaceId {
  return id as WorkspaceId;
}
