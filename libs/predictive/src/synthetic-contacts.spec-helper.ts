/** Synthetic contacts with known effects, from a seeded generator (test helper). */
import { type FeatureRow } from './feature-spec';
import { sigmoid } from './probabilities';
import { createRng } from './rng';

export const PLAN_EFFECT: Record<string, number> = { enterprise: 1.2, team: 0.2, free: -0.8 };

export function syntheticContacts(
  n: number,
  seed: number,
): { rows: FeatureRow[]; labels: number[] } {
  const rng = createRng(seed);
  const plans = Object.keys(PLAN_EFFECT);
  const regions = ['emea', 'amer', 'apac'];
  const rows: FeatureRow[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const plan = plans[Math.floor(rng() * plans.length)] as string;
    const visits = Math.floor(rng() * 20);
    const region = regions[Math.floor(rng() * regions.length)] as string;
    const p = sigmoid(-1.6 + (PLAN_EFFECT[plan] as number) + 0.12 * (visits - 10));
    rows.push({ plan, visits, region });
    labels.push(rng() < p ? 1 : 0);
  }
  return { rows, labels };
}
