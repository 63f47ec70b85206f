import type { AccountFilterInput } from './operations';

/** The list's filters, kept in the query string so a filtered view can be shared. */
export interface AccountFilters {
  tier: string | null;
  surging: boolean;
  coverageBelow: number | null;
  search: string;
}

export const COVERAGE_CHOICES = [
  { value: null, label: 'Any coverage' },
  { value: 0.5, label: 'Coverage below 50%' },
  { value: 1, label: 'Committee gaps (below 100%)' },
] as const;

export function filtersFromSearch(search: URLSearchParams): AccountFilters {
  const coverage = Number(search.get('coverageBelow'));
  return {
    tier: search.get('tier') || null,
    surging: search.get('surging') === '1',
    coverageBelow: coverage > 0 && coverage <= 1 ? coverage : null,
    search: search.get('q') ?? '',
  };
}

export function searchFromFilters(filters: AccountFilters): string {
  const params = new URLSearchParams();
  if (filters.tier) params.set('tier', filters.tier);
  if (filters.surging) params.set('surging', '1');
  if (filters.coverageBelow != null) params.set('coverageBelow', String(filters.coverageBelow));
  if (filters.search.trim()) params.set('q', filters.search.trim());
  const query = params.toString();
  return query ? `/?${query}` : '/';
}

export function filterInput(filters: AccountFilters): AccountFilterInput {
  return {
    ...(filters.tier ? { tiers: [filters.tier] } : {}),
    ...(filters.surging ? { surging: true } : {}),
    ...(filters.coverageBelow != null ? { coverageBelow: filters.coverageBelow } : {}),
    ...(filters.search.trim() ? { search: filters.search.trim() } : {}),
  };
}
