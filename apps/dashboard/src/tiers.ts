// Tiers are named by each workspace's scoring model; the default model's get fixed colours.
const KNOWN: Record<string, string> = {
  HOT: '#e0483e',
  WARM: '#f0a030',
  COLD: '#4a86d8',
  SALES_READY: '#e0483e',
};
const OTHERS = ['#8e6fd8', '#2fa39a', '#c05c9c', '#7a8a99'];

export function tierColor(tier: string): string {
  if (KNOWN[tier]) return KNOWN[tier];
  let hash = 0;
  for (const char of tier) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return OTHERS[Math.abs(hash) % OTHERS.length]!;
}
