import { useEffect, useRef, useState } from 'react';
import { COVERAGE_CHOICES, type AccountFilters } from '../account-filters';

const SEARCH_DELAY_MS = 300;

export function AccountFiltersBar({
  filters,
  tiers,
  onChange,
}: {
  filters: AccountFilters;
  tiers: string[];
  onChange: (filters: AccountFilters) => void;
}) {
  const [search, setSearch] = useState(filters.search);
  // Typing waits for a pause before it filters; other filters apply at once.
  const latest = useRef({ filters, onChange });
  useEffect(() => {
    latest.current = { filters, onChange };
  });
  useEffect(() => {
    if (search === latest.current.filters.search) return;
    const timer = window.setTimeout(
      () => latest.current.onChange({ ...latest.current.filters, search }),
      SEARCH_DELAY_MS,
    );
    return () => window.clearTimeout(timer);
  }, [search]);

  return (
    <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
      <label>
        <span className="sr-only">Tier</span>
        <select
          aria-label="Tier"
          value={filters.tier ?? ''}
          onChange={(e) => onChange({ ...filters, tier: e.target.value || null })}
        >
          <option value="">All tiers</option>
          {tiers.map((tier) => (
            <option key={tier} value={tier}>
              {tier}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="sr-only">Committee coverage</span>
        <select
          aria-label="Committee coverage"
          value={filters.coverageBelow ?? ''}
          onChange={(e) =>
            onChange({ ...filters, coverageBelow: e.target.value ? Number(e.target.value) : null })
          }
        >
          {COVERAGE_CHOICES.map((c) => (
            <option key={c.label} value={c.value ?? ''}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={filters.surging}
          onChange={(e) => onChange({ ...filters, surging: e.target.checked })}
        />
        Surging only
      </label>
      <input
        type="search"
        aria-label="Search accounts"
        placeholder="Search domain or name"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
    </form>
  );
}
