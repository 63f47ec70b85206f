export function SurgeBadge({ surging, ratio }: { surging: boolean; ratio: number | null }) {
  if (surging)
    return (
      <span className="surge on" title="Activity of the last 7 days against the 4 weeks before">
        ▲ Surging{ratio != null ? ` ×${ratio.toFixed(1)}` : ''}
      </span>
    );
  return (
    <span className="surge off" title="Activity of the last 7 days against the 4 weeks before">
      {ratio != null ? `×${ratio.toFixed(1)}` : '–'}
    </span>
  );
}
