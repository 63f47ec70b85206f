import { formatPercent, formatRelative, formatScore, humanize } from '../format';
import type { BuyingGroup } from '../operations';
import { TierBadge } from './TierBadge';

/** A buying committee: which required roles are covered (and engaged), and by whom. */
export function BuyingGroupCard({ group }: { group: BuyingGroup }) {
  const missing = new Set(group.missingRoles);
  const engagedRoles = new Set(group.members.filter((m) => m.engaged).map((m) => m.role));
  const extraRoles = [...new Set(group.members.map((m) => m.role))].filter(
    (r) => !group.requiredRoles.includes(r),
  );
  const members = [...group.members].sort(
    (a, b) => (b.score?.total ?? -1) - (a.score?.total ?? -1),
  );
  return (
    <section className="panel buying-group" aria-label={`Buying group ${group.name}`}>
      <header className="group-header">
        <h3>{group.name}</h3>
        <span className="muted small">
          roles filled {formatPercent(group.completeness)} · engaged{' '}
          {formatPercent(group.engagedCompleteness)} · engagement{' '}
          {group.score == null ? '–' : formatScore(group.score)}
        </span>
      </header>
      <ul className="roles" aria-label="Roles">
        {group.requiredRoles.map((role) => {
          const state = missing.has(role)
            ? 'missing'
            : engagedRoles.has(role)
              ? 'engaged'
              : 'covered';
          return (
            <li key={role} className={`role ${state}`} data-state={state}>
              {state === 'missing' ? '✕' : state === 'engaged' ? '●' : '○'} {humanize(role)}
              <span className="sr-only"> ({state})</span>
            </li>
          );
        })}
        {extraRoles.map((role) => (
          <li key={role} className="role extra">
            {humanize(role)}
          </li>
        ))}
      </ul>
      {members.length === 0 ? (
        <p className="muted">No members yet.</p>
      ) : (
        <table className="members">
          <thead>
            <tr>
              <th>Member</th>
              <th>Role</th>
              <th className="num">Score</th>
              <th>Engaged</th>
              <th>Last activity</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => {
              const name = [m.contact.firstName, m.contact.lastName].filter(Boolean).join(' ');
              return (
                <tr key={m.contactId}>
                  <td>
                    {name || m.contact.email}
                    <div className="muted small">{m.contact.title ?? m.contact.email}</div>
                  </td>
                  <td>{humanize(m.role)}</td>
                  <td className="num">
                    {m.score ? (
                      <>
                        {formatScore(m.score.total)} <TierBadge tier={m.score.tier} />
                      </>
                    ) : (
                      '–'
                    )}
                  </td>
                  <td>
                    {m.engaged ? (
                      <span className="yes">Yes</span>
                    ) : (
                      <span className="muted">No</span>
                    )}
                  </td>
                  <td title={m.lastActivityAt ?? undefined}>{formatRelative(m.lastActivityAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
