/**
 * Locale-free number formatting for reasons and reports, so the same numbers always give the
 * same sentence whatever the host's locale.
 */

/** 41188 → "41,188". */
export function formatCount(n: number): string {
  const sign = n < 0 ? '-' : '';
  const digits = String(Math.abs(Math.round(n)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 0.11265 → "11.3%". */
export function formatPercent(rate: number | null, decimals = 1): string {
  if (rate === null || !Number.isFinite(rate)) return 'n/a';
  return `${(rate * 100).toFixed(decimals)}%`;
}

/** Fixed decimals, "n/a" for null or NaN. */
export function formatNumber(value: number | null, decimals = 3): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  return value.toFixed(decimals);
}
