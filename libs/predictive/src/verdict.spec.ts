import { describe, expect, it } from 'vitest';
import { type TierStat } from './tier-report';
import { VERDICT_THRESHOLDS, verdict } from './verdict';

const tier = (name: string, rate: number): TierStat => ({
  tier: name,
  count: 100,
  conversions: rate * 100,
  rate,
  lift: null,
  shareOfConversions: null,
});
const ordered = [tier('A', 0.3), tier('B', 0.1), tier('C', 0.02)];
const reversed = [tier('A', 0.1), tier('B', 0.3), tier('C', 0.02)];
const base = { total: 1_000, conversions: 140, baseRate: 0.14 };

describe('verdict', () => {
  it('documents its thresholds', () => {
    expect(VERDICT_THRESHOLDS).toEqual({
      predictiveAuc: 0.7,
      weakAuc: 0.6,
      minConversions: 30,
      minNonConversions: 30,
    });
  });

  it('is predictive at AUC 0.70 with monotonic tiers, naming the numbers', () => {
    const v = verdict({ ...base, auc: 0.7, monotonic: true, tiers: ordered });
    expect(v.verdict).toBe('predictive');
    expect(v.reason).toBe(
      'AUC 0.70 (at least 0.70) on 1,000 contacts, 140 converted; conversion falls with every ' +
        'tier, from 30.0% in A to 2.0% in C (base rate 14.0%).',
    );
  });

  it('is weak when a good AUC comes with tiers out of order, naming them', () => {
    const v = verdict({ ...base, auc: 0.82, monotonic: false, tiers: reversed });
    expect(v.verdict).toBe('weak');
    expect(v.reason).toBe(
      'AUC 0.82 ranks converters well, but conversion does not fall with tier: B converts 30.0% ' +
        'against 10.0% in A.',
    );
  });

  it('is weak from 0.60 up to just below 0.70', () => {
    expect(verdict({ ...base, auc: 0.6999, monotonic: true, tiers: ordered }).verdict).toBe('weak');
    const v = verdict({ ...base, auc: 0.6, monotonic: true, tiers: ordered });
    expect(v.verdict).toBe('weak');
    expect(v.reason).toMatch(/^AUC 0\.60 is between 0\.60 and 0\.70/);
  });

  it('is not predictive below 0.60', () => {
    const v = verdict({ ...base, auc: 0.5999, monotonic: true });
    expect(v.verdict).toBe('not predictive');
    expect(v.reason).toContain('below 0.60');
    expect(v.reason).toContain('1,000 contacts, 140 converted');
  });

  it('says there is not enough data below 30 conversions or non-conversions, or with no AUC', () => {
    const few = verdict({ total: 500, conversions: 29, auc: 0.9, monotonic: true });
    expect(few.verdict).toBe('not enough data');
    expect(few.reason).toBe(
      'Only 29 of 500 contacts converted (471 did not); at least 30 of each are needed to judge the model.',
    );
    expect(verdict({ total: 500, conversions: 480, auc: 0.9, monotonic: true }).verdict).toBe(
      'not enough data',
    );
    expect(
      verdict({ total: 500, conversions: 100, auc: Number.NaN, monotonic: null }).verdict,
    ).toBe('not enough data');
  });
});
