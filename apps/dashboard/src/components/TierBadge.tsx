import { tierColor } from '../tiers';

export function TierBadge({ tier }: { tier: string }) {
  return (
    <span className="tier-badge" style={{ background: tierColor(tier) }}>
      {tier}
    </span>
  );
}
