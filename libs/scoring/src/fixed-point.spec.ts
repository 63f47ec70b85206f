import { describe, expect, it } from 'vitest';
import {
  capToHundredths,
  hundredthsToPoints,
  pointsToHundredths,
  pointsToUnits,
  unitsToHundredths,
} from './fixed-point';

describe('fixed-point points', () => {
  it('rounds half away from zero on hundredths', () => {
    expect(pointsToHundredths(0.125)).toBe(13);
    expect(pointsToHundredths(-0.125)).toBe(-13);
    expect(pointsToHundredths(0.124)).toBe(12);
    expect(pointsToHundredths(-0.135)).toBe(-14);
    // 1.005 and 2.675 are stored just below the half; the decimal intent still rounds up.
    expect(pointsToHundredths(1.005)).toBe(101);
    expect(pointsToHundredths(2.675)).toBe(268);
  });

  it('rounds unit sums as integers', () => {
    expect(unitsToHundredths(150)).toBe(2);
    expect(unitsToHundredths(149)).toBe(1);
    expect(unitsToHundredths(-150)).toBe(-2);
    expect(unitsToHundredths(-149)).toBe(-1);
  });

  it('never produces negative zero', () => {
    expect(Object.is(pointsToUnits(-1e-9), 0)).toBe(true);
    expect(Object.is(unitsToHundredths(-49), 0)).toBe(true);
  });

  it('never lets a cap exceed the model max', () => {
    expect(capToHundredths(100)).toBe(10000);
    expect(capToHundredths(0.29)).toBe(29);
    expect(capToHundredths(99.999)).toBe(9999);
    expect(capToHundredths(1.00999999)).toBe(100);
  });

  it('turns hundredths into exact two-decimal numbers', () => {
    expect(hundredthsToPoints(1)).toBe(0.01);
    expect(hundredthsToPoints(2381)).toBe(23.81);
    expect(hundredthsToPoints(-7)).toBe(-0.07);
  });
});
