import { describe, expect, it } from 'vitest';
import {
  filterInput,
  filtersFromSearch,
  searchFromFilters,
  type AccountFilters,
} from './account-filters';

const none: AccountFilters = { tier: null, surging: false, coverageBelow: null, search: '' };

describe('account filters in the URL', () => {
  it('round-trips every filter through the query string', () => {
    const filters: AccountFilters = {
      tier: 'HOT',
      surging: true,
      coverageBelow: 0.5,
      search: 'globex',
    };
    const path = searchFromFilters(filters);
    expect(path).toBe('/?tier=HOT&surging=1&coverageBelow=0.5&q=globex');
    expect(filtersFromSearch(new URLSearchParams(path.slice(2)))).toEqual(filters);
    expect(searchFromFilters(none)).toBe('/');
  });

  it('ignores values a hand-edited URL gets wrong rather than sending them to the API', () => {
    expect(filtersFromSearch(new URLSearchParams('coverageBelow=abc&surging=yes&tier='))).toEqual(
      none,
    );
    expect(filtersFromSearch(new URLSearchParams('coverageBelow=7')).coverageBelow).toBeNull();
  });

  it('sends only the filters that are set, as AccountFilterInput', () => {
    expect(filterInput(none)).toEqual({});
    expect(filterInput({ ...none, tier: 'WARM', coverageBelow: 1, search: '  ' })).toEqual({
      tiers: ['WARM'],
      coverageBelow: 1,
    });
  });
});
