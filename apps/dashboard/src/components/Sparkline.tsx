import type { HistoryPoint } from '../operations';

/** The account total over its recorded changes, oldest to newest (history arrives newest first). */
export function Sparkline({
  history,
  width = 120,
  height = 28,
  color = '#4a86d8',
}: {
  history: HistoryPoint[];
  width?: number;
  height?: number;
  color?: string;
}) {
  const values = history.map((p) => p.newTotal).reverse();
  if (values.length === 0) return <span className="muted">no history</span>;
  if (values.length === 1) values.unshift(values[0]!);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const pad = 3;
  const x = (i: number) => pad + (i / (values.length - 1)) * (width - 2 * pad);
  const y = (v: number) => height - pad - ((v - min) / span) * (height - 2 * pad);
  const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const last = values.length - 1;
  const trend = values[last]! - values[0]!;
  return (
    <svg
      className="sparkline"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`Score trend over ${history.length} change${history.length === 1 ? '' : 's'}, ${trend >= 0 ? 'up' : 'down'} ${Math.abs(trend).toFixed(1)}`}
    >
      <polyline
        points={points}
        fill="none"
        stroke={color}
        strokeWidth={1.6}
        strokeLinejoin="round"
      />
      <circle cx={x(last)} cy={y(values[last]!)} r={2.4} fill={color} />
    </svg>
  );
}
