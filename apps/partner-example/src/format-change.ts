import type { AccountScoreChangedSubscription } from '@quorum/client';

export type AccountChange = AccountScoreChangedSubscription['accountScoreChanged'];

function topReasons(change: AccountChange, count: number) {
  return [...change.reasons]
    .sort((a, b) => Math.abs(b.points) - Math.abs(a.points))
    .slice(0, count)
    .map((r) => ({ label: r.label, points: r.points }));
}

const signed = (n: number) => `${n >= 0 ? '+' : ''}${Math.round(n * 100) / 100}`;

/** One line per change: JSON for machines, or text for a terminal. */
export function formatChange(
  change: AccountChange,
  options: { json: boolean; top: number },
): string {
  const reasons = topReasons(change, options.top);
  if (options.json) {
    return JSON.stringify({
      eventId: change.eventId,
      accountId: change.accountId,
      old: change.old,
      new: { total: change.new.total, tier: change.new.tier },
      delta: Math.round((change.new.total - (change.old?.total ?? 0)) * 100) / 100,
      cause: change.cause,
      at: change.at,
      topReasons: reasons,
    });
  }
  const from = change.old ? `${change.old.total} (${change.old.tier})` : 'unscored';
  const why = reasons.map((r) => `${r.label} ${signed(r.points)}`).join(', ');
  return (
    `${change.at} account ${change.accountId}: ${from} → ${change.new.total} (${change.new.tier})` +
    ` [${change.cause}]${why ? ` because ${why}` : ''} (${change.eventId})`
  );
}
