import { describe, expect, it } from 'vitest';
import { hybridScore } from './hybrid-score';

describe('hybridScore', () => {
  it('is the weighted mean of the rules score on 0–100 and the probability × 100', () => {
    const h = hybridScore({
      rulesTotal: 60,
      rulesScaleMax: 120,
      probability: 0.3,
      weights: { rules: 1, predictive: 3 },
    });
    // rules 50 × 0.25 + predictive 30 × 0.75
    expect(h.rulesComponent).toBeCloseTo(12.5, 12);
    expect(h.predictiveComponent).toBeCloseTo(22.5, 12);
    expect(h.score).toBeCloseTo(35, 12);
    expect(h.weights).toEqual({ rules: 0.25, predictive: 0.75 });
  });

  it('clamps the rules score to 0–100 and lets one weight be 0', () => {
    const base = { rulesScaleMax: 100, probability: 0.9 };
    expect(
      hybridScore({ ...base, rulesTotal: 250, weights: { rules: 1, predictive: 0 } }).score,
    ).toBe(100);
    expect(
      hybridScore({ ...base, rulesTotal: -40, weights: { rules: 1, predictive: 0 } }).score,
    ).toBe(0);
    expect(
      hybridScore({ ...base, rulesTotal: 10, weights: { rules: 0, predictive: 2 } }).score,
    ).toBeCloseTo(90, 12);
  });

  it('refuses bad weights and inputs', () => {
    const base = { rulesTotal: 1, rulesScaleMax: 100, probability: 0.5 };
    expect(() => hybridScore({ ...base, weights: { rules: 0, predictive: 0 } })).toThrow(
      /at least one/,
    );
    expect(() => hybridScore({ ...base, weights: { rules: -1, predictive: 1 } })).toThrow(/≥ 0/);
    expect(() =>
      hybridScore({ ...base, probability: 2, weights: { rules: 1, predictive: 1 } }),
    ).toThrow(/probability/);
    expect(() =>
      hybridScore({ ...base, rulesScaleMax: 0, weights: { rules: 1, predictive: 1 } }),
    ).toThrow(/rulesScaleMax/);
  });
});
