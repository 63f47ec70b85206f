import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { filterInput, type AccountFilters } from '../account-filters';
import { formatDelta, formatScore } from '../format';
import { useLive } from '../live-updates';
import { ACCOUNTS, type AccountRow } from '../operations';
import { followLink, hrefOf } from '../router';
import { tierColor } from '../tiers';
import { CoverageBar } from './CoverageBar';
import { Sparkline } from './Sparkline';
import { SurgeBadge } from './SurgeBadge';
import { TierBadge } from './TierBadge';

const PAGE = 50;
const MAX_ROWS = 200;

/** PRIORITY_DESC as the API orders it: total high to low, then account id high to low. */
function byPriority(a: AccountRow, b: AccountRow): number {
  const difference = (b.score?.total ?? -Infinity) - (a.score?.total ?? -Infinity);
  if (difference !== 0) return difference;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export function AccountList({ filters }: { filters: AccountFilters }) {
  const [first, setFirst] = useState(PAGE);
  const { data, error, loading } = useQuery(ACCOUNTS, {
    variables: { filter: filterInput(filters), first },
    fetchPolicy: 'cache-and-network',
  });
  const { recent } = useLive();
  if (error) return <p className="error">Could not load accounts: {error.message}</p>;
  if (!data) return <p className="muted">Loading accounts…</p>;
  // A live event updates a score in the cache before the refetch: re-sort so the row moves now.
  const rows = data.accounts.edges.map((e) => e.node).sort(byPriority);
  const total = data.accounts.totalCount;
  return (
    <section className="panel accounts" aria-busy={loading}>
      <table className="account-table">
        <thead>
          <tr>
            <th className="num">#</th>
            <th>Account</th>
            <th>Tier</th>
            <th className="num">Score</th>
            <th>Trend</th>
            <th>Surge</th>
            <th>Committee coverage</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={7} className="muted empty">
                No scored accounts match these filters.
              </td>
            </tr>
          )}
          {rows.map((account, index) => {
            const change = recent.get(account.id);
            const score = account.score;
            return (
              <tr
                // A new event remounts the row, which replays its highlight.
                key={`${account.id}:${change?.eventId ?? ''}`}
                className={change ? 'account-row updated' : 'account-row'}
                data-domain={account.domain}
                data-rank={index + 1}
              >
                <td className="num muted">{index + 1}</td>
                <td>
                  <a
                    href={hrefOf(`/accounts/${account.id}`)}
                    onClick={followLink(`/accounts/${account.id}`)}
                  >
                    {account.name ?? account.domain}
                  </a>
                  <div className="muted small">
                    {account.domain}
                    {account.industry ? ` · ${account.industry}` : ''}
                  </div>
                </td>
                <td>{score ? <TierBadge tier={score.tier} /> : '–'}</td>
                <td className="num">
                  <span className="score" data-testid="score">
                    {score ? formatScore(score.total) : '–'}
                  </span>
                  {change && (
                    <span className={`delta ${change.delta >= 0 ? 'up' : 'down'}`}>
                      {formatDelta(change.delta)}
                    </span>
                  )}
                </td>
                <td>
                  <Sparkline
                    history={account.scoreHistory.edges.map((e) => e.node)}
                    color={score ? tierColor(score.tier) : undefined}
                  />
                </td>
                <td>
                  {score ? (
                    <SurgeBadge
                      surging={score.signals.velocity.surging}
                      ratio={score.signals.velocity.ratio}
                    />
                  ) : (
                    '–'
                  )}
                </td>
                <td>
                  {score ? (
                    <CoverageBar
                      coverage={score.signals.coverage}
                      engaged={score.signals.engagedContacts}
                    />
                  ) : (
                    '–'
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <footer className="table-footer muted">
        Showing {rows.length} of {total} scored account{total === 1 ? '' : 's'}
        {rows.length < total && first < MAX_ROWS && (
          <button type="button" className="link" onClick={() => setFirst(first + PAGE)}>
            Show {PAGE} more
          </button>
        )}
      </footer>
    </section>
  );
}
