import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { ApolloProvider, useQuery } from '@apollo/client/react';
import { useCallback, useEffect, useState } from 'react';
import { filtersFromSearch, searchFromFilters, type AccountFilters } from './account-filters';
import { clearApiKey, loadApiKey, saveApiKey } from './api-key';
import { AccountFiltersBar } from './components/AccountFiltersBar';
import { AccountList } from './components/AccountList';
import { AccountView } from './components/AccountView';
import { LiveIndicator } from './components/LiveIndicator';
import { SignIn } from './components/SignIn';
import { TierChart } from './components/TierChart';
import { LiveUpdates } from './live-updates';
import { TIER_DISTRIBUTION, WORKSPACE } from './operations';
import { followLink, hrefOf, navigate, useRoute } from './router';
import { createSession, type Session } from './session';

function unauthenticated(error: unknown): boolean {
  if (ServerError.is(error)) return error.statusCode === 401;
  return (
    CombinedGraphQLErrors.is(error) &&
    error.errors.some((e) => e.extensions?.['code'] === 'UNAUTHENTICATED')
  );
}

export function App() {
  const [session, setSession] = useState<Session | null>(() => {
    const key = loadApiKey();
    return key ? createSession(key) : null;
  });
  const [notice, setNotice] = useState<string | null>(null);

  const signOut = useCallback(
    (reason: string | null) => {
      session?.dispose();
      clearApiKey();
      setNotice(reason);
      setSession(null);
    },
    [session],
  );

  if (!session)
    return (
      <SignIn
        notice={notice}
        onSignIn={(key) => {
          saveApiKey(key);
          setNotice(null);
          setSession(createSession(key));
        }}
      />
    );
  return (
    <ApolloProvider client={session.client}>
      <LiveUpdates live={session.live}>
        <Dashboard onSignOut={signOut} />
      </LiveUpdates>
    </ApolloProvider>
  );
}

function Dashboard({ onSignOut }: { onSignOut: (reason: string | null) => void }) {
  const route = useRoute();
  const workspace = useQuery(WORKSPACE);
  const revoked = workspace.error ? unauthenticated(workspace.error) : false;
  useEffect(() => {
    if (revoked) onSignOut('The saved API key is unknown or revoked: sign in again.');
  }, [revoked, onSignOut]);
  if (revoked) return null;

  return (
    <>
      <header className="top-bar">
        <a className="brand" href={hrefOf('/')} onClick={followLink('/')}>
          Quorum
        </a>
        <span className="workspace">{workspace.data?.workspace.name ?? ''}</span>
        <LiveIndicator />
        <button type="button" className="link" onClick={() => onSignOut(null)}>
          Sign out
        </button>
      </header>
      <main className="content">
        {route.view === 'account' ? (
          <AccountView id={route.id} />
        ) : (
          <AccountsPage filters={filtersFromSearch(route.search)} />
        )}
      </main>
    </>
  );
}

function AccountsPage({ filters }: { filters: AccountFilters }) {
  const tiers = useQuery(TIER_DISTRIBUTION);
  const setFilters = (next: AccountFilters) => navigate(searchFromFilters(next), { replace: true });
  return (
    <div className="list-layout">
      <div>
        <div className="list-title">
          <h1>Accounts by priority</h1>
          <AccountFiltersBar
            filters={filters}
            tiers={tiers.data?.tierDistribution.map((t) => t.tier) ?? []}
            onChange={setFilters}
          />
        </div>
        <AccountList filters={filters} />
      </div>
      <aside>
        <TierChart selected={filters.tier} onSelect={(tier) => setFilters({ ...filters, tier })} />
      </aside>
    </div>
  );
}
