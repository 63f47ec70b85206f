import { formatDelta } from '../format';
import type { ScoreReason } from '../operations';

/** The rules behind the account score, by impact; their points add up to the total. */
export function ScoreReasons({ reasons, total }: { reasons: ScoreReason[]; total: number }) {
  const largest = Math.max(1, ...reasons.map((r) => Math.abs(r.points)));
  return (
    <section className="panel" aria-labelledby="reasons-title">
      <h2 id="reasons-title">Why this score</h2>
      {reasons.length === 0 ? (
        <p className="muted">No rule contributed yet.</p>
      ) : (
        <table className="reasons">
          <tbody>
            {reasons.map((r) => (
              <tr key={`${r.ruleId}:${r.kind}`}>
                <td>
                  {r.label}
                  <div className="muted small">
                    {r.category.toLowerCase()}
                    {r.activityCount > 0
                      ? ` · ${r.activityCount} activit${r.activityCount === 1 ? 'y' : 'ies'}`
                      : ''}
                    {r.kind === 'CAP' ? ' · capped' : ''}
                  </div>
                </td>
                <td className="reason-bar-cell">
                  <div
                    className={`reason-bar ${r.points < 0 ? 'negative' : ''}`}
                    style={{ width: `${(Math.abs(r.points) / largest) * 100}%` }}
                  />
                </td>
                <td className="num">{formatDelta(r.points)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td>Total</td>
              <td />
              <td className="num">{total.toFixed(1)}</td>
            </tr>
          </tfoot>
        </table>
      )}
    </section>
  );
}
