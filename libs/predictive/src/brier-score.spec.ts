import { describe, expect, it } from 'vitest';
import { brierScore, logLoss } from './brier-score';

describe('brierScore', () => {
  it('is the mean squared error of the probabilities', () => {
    // (0.1² + 0.2² + 0.5²) / 3 = (0.01 + 0.04 + 0.25) / 3
    expect(brierScore([0.9, 0.2, 0.5], [1, 0, 1])).toBeCloseTo(0.1, 12);
  });

  it('is 0 when perfect and b(1−b) when always predicting the base rate', () => {
    expect(brierScore([1, 0, 1], [1, 0, 1])).toBe(0);
    expect(brierScore([0.25, 0.25, 0.25, 0.25], [1, 0, 0, 0])).toBeCloseTo(0.25 * 0.75, 12);
  });

  it('refuses values outside [0, 1]', () => {
    expect(() => brierScore([1.2], [1])).toThrow(/probability 0/);
    expect(() => brierScore([Number.NaN], [1])).toThrow(/probability 0/);
  });
});

describe('logLoss', () => {
  it('is the mean negative log-likelihood', () => {
    expect(logLoss([0.8, 0.4], [1, 0])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12);
  });

  it('stays finite for confident mistakes', () => {
    expect(Number.isFinite(logLoss([0], [1]))).toBe(true);
  });
});
