import { useQuery } from '@apollo/client/react';
import { formatDelta, formatPercent, formatRelative, formatScore, humanize } from '../format';
import { useLive } from '../live-updates';
import { ACCOUNT_DETAIL } from '../operations';
import { followLink, hrefOf } from '../router';
import { tierColor } from '../tiers';
import { BuyingGroupCard } from './BuyingGroupCard';
import { ScoreReasons } from './ScoreReasons';
import { Sparkline } from './Sparkline';
import { SurgeBadge } from './SurgeBadge';
import { TierBadge } from './TierBadge';

export function AccountView({ id }: { id: string }) {
  const { data, error } = useQuery(ACCOUNT_DETAIL, {
    variables: { id },
    fetchPolicy: 'cache-and-network',
  });
  const change = useLive().recent.get(id);
  const back = (
    <a className="back" href={hrefOf('/')} onClick={followLink('/')}>
      ← All accounts
    </a>
  );
  if (error)
    return (
      <>
        {back}
        <p className="error">Could not load the account: {error.message}</p>
      </>
    );
  if (!data)
    return (
      <>
        {back}
        <p className="muted">Loading…</p>
      </>
    );
  const account = data.account;
  if (!account)
    return (
      <>
        {back}
        <p className="error">No account {id} in this workspace.</p>
      </>
    );
  const score = account.score;
  const facts = [
    account.industry,
    account.employeeCount != null
      ? `${account.employeeCount.toLocaleString('en')} employees`
      : null,
    account.country,
    account.ownerId ? `owner ${account.ownerId}` : null,
  ].filter(Boolean);
  return (
    <div className="account-view">
      {back}
      <header className="account-header">
        <div>
          <h1>{account.name ?? account.domain}</h1>
          <div className="muted">
            {account.domain}
            {facts.length ? ` · ${facts.join(' · ')}` : ''}
          </div>
        </div>
        {score && (
          <div className="headline-score">
            <span className="big-score" data-testid="account-score">
              {formatScore(score.total)}
            </span>
            <TierBadge tier={score.tier} />
            {change && (
              <span className={`delta ${change.delta >= 0 ? 'up' : 'down'}`}>
                {formatDelta(change.delta)} live
              </span>
            )}
          </div>
        )}
      </header>
      {!score ? (
        <p className="muted">This account has not been scored yet.</p>
      ) : (
        <div className="account-grid">
          <div className="stack">
            <section className="panel" aria-labelledby="score-title">
              <h2 id="score-title">Score</h2>
              <dl className="facts">
                <dt>Fit</dt>
                <dd>{formatScore(score.fit)}</dd>
                <dt>Engagement</dt>
                <dd>
                  {formatScore(score.engagement)}{' '}
                  <span className="muted small">
                    contacts {formatScore(score.rollup)} · committee {formatScore(score.committee)}{' '}
                    · intent {formatScore(score.intent)}
                  </span>
                </dd>
                <dt>Tier</dt>
                <dd>
                  {score.tier} since {new Date(score.tierSince).toLocaleDateString('en')}
                </dd>
                <dt>Next step</dt>
                <dd>
                  {humanize(score.action)}{' '}
                  <span className="muted small">({humanize(score.quadrant)})</span>
                </dd>
              </dl>
              <div className="muted small">Score history</div>
              <Sparkline
                history={account.scoreHistory.edges.map((e) => e.node)}
                width={320}
                height={56}
                color={tierColor(score.tier)}
              />
            </section>
            <section className="panel" aria-labelledby="signals-title">
              <h2 id="signals-title">Buying signals</h2>
              <dl className="facts">
                <dt>Committee coverage</dt>
                <dd>{formatPercent(score.signals.coverage)}</dd>
                <dt>Engaged contacts</dt>
                <dd>{score.signals.engagedContacts}</dd>
                <dt>Decision maker</dt>
                <dd>{score.signals.decisionMakerEngaged ? 'engaged' : 'not engaged'}</dd>
                <dt>Velocity</dt>
                <dd>
                  <SurgeBadge
                    surging={score.signals.velocity.surging}
                    ratio={score.signals.velocity.ratio}
                  />{' '}
                  <span className="muted small">
                    {score.signals.velocity.last7Days} this week vs{' '}
                    {score.signals.velocity.weeklyAverage.toFixed(1)} a week before
                  </span>
                </dd>
                <dt>Last activity</dt>
                <dd>{formatRelative(score.signals.lastActivityAt)}</dd>
              </dl>
            </section>
          </div>
          <ScoreReasons reasons={score.reasons} total={score.total} />
        </div>
      )}
      <h2 className="section-title">Buying groups</h2>
      {account.buyingGroups.length === 0 ? (
        <p className="muted">No buying groups at this account.</p>
      ) : (
        account.buyingGroups.map((group) => <BuyingGroupCard key={group.id} group={group} />)
      )}
    </div>
  );
}
