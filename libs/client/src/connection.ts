/** Where a partner's Quorum is, and the API key it acts with. */
export interface QuorumConnection {
  /** The GraphQL endpoint, e.g. `https://quorum.example.com/graphql` (ws:// is derived). */
  url: string;
  apiKey: string;
}

/** `http(s)://…/graphql` → `ws(s)://…/graphql`; a ws(s) URL is kept as it is. */
export function webSocketUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol === 'http:') parsed.protocol = 'ws:';
  else if (parsed.protocol === 'https:') parsed.protocol = 'wss:';
  else if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new Error(`Quorum URL must be http(s) or ws(s), got "${url}"`);
  }
  return parsed.toString();
}
