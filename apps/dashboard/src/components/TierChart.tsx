import { useQuery } from '@apollo/client/react';
import { TIER_DISTRIBUTION } from '../operations';
import { tierColor } from '../tiers';

/** How many scored accounts sit in each tier; a bar filters the list by its tier. */
export function TierChart({
  selected,
  onSelect,
}: {
  selected: string | null;
  onSelect: (tier: string | null) => void;
}) {
  const { data } = useQuery(TIER_DISTRIBUTION);
  const tiers = data?.tierDistribution ?? [];
  const total = tiers.reduce((sum, t) => sum + t.count, 0);
  const max = Math.max(1, ...tiers.map((t) => t.count));
  const rowHeight = 30;
  const labelWidth = 86;
  const width = 320;
  const barSpace = width - labelWidth - 70;
  return (
    <section className="panel tier-chart" aria-labelledby="tier-chart-title">
      <h2 id="tier-chart-title">Tier distribution</h2>
      {tiers.length === 0 ? (
        <p className="muted">No scored accounts yet.</p>
      ) : (
        <svg
          width="100%"
          viewBox={`0 0 ${width} ${tiers.length * rowHeight}`}
          role="img"
          aria-label={tiers.map((t) => `${t.tier}: ${t.count}`).join(', ')}
        >
          {tiers.map((t, i) => {
            const barWidth = Math.max(2, (t.count / max) * barSpace);
            const dimmed = selected !== null && selected !== t.tier;
            return (
              <g
                key={t.tier}
                className="tier-bar"
                transform={`translate(0, ${i * rowHeight})`}
                opacity={dimmed ? 0.35 : 1}
                onClick={() => onSelect(selected === t.tier ? null : t.tier)}
              >
                <title>{`${t.tier}: ${t.count} accounts — click to filter`}</title>
                <text x={0} y={19} className="tier-bar-label">
                  {t.tier}
                </text>
                <rect
                  x={labelWidth}
                  y={5}
                  width={barWidth}
                  height={rowHeight - 10}
                  rx={3}
                  fill={tierColor(t.tier)}
                />
                <text x={labelWidth + barWidth + 6} y={19} className="tier-bar-value">
                  {t.count} · {total ? Math.round((t.count / total) * 100) : 0}%
                </text>
              </g>
            );
          })}
        </svg>
      )}
    </section>
  );
}
