import { describe, expect, it } from 'vitest';
import { pickBand, QUADRANT_ACTIONS, quadrantFor } from './tiers';

const bands = [
  { name: 'HIGH', min: 60 },
  { name: 'MID', min: 30 },
  { name: 'LOW', min: 0 },
];
const nameAt = (value: number) => pickBand(bands, value, (b) => b.min).name;

describe('pickBand', () => {
  it('picks the first band whose min the value reaches', () => {
    expect(nameAt(60)).toBe('HIGH');
    expect(nameAt(59.99)).toBe('MID');
    expect(nameAt(30)).toBe('MID');
    expect(nameAt(0)).toBe('LOW');
  });

  it('gives values below every min the lowest band', () => {
    expect(nameAt(-0.01)).toBe('LOW');
    expect(nameAt(-500)).toBe('LOW');
  });
});

describe('quadrantFor', () => {
  const thresholds = { fitThreshold: 50, engagementThreshold: 40 };

  it('splits on fit and engagement thresholds, inclusive', () => {
    expect(quadrantFor(50, 40, thresholds)).toBe('HIGH_FIT_HIGH_ENGAGEMENT');
    expect(quadrantFor(50, 39.99, thresholds)).toBe('HIGH_FIT_LOW_ENGAGEMENT');
    expect(quadrantFor(49.99, 40, thresholds)).toBe('LOW_FIT_HIGH_ENGAGEMENT');
    expect(quadrantFor(0, 0, thresholds)).toBe('LOW_FIT_LOW_ENGAGEMENT');
  });

  it('maps each quadrant to its action', () => {
    expect(QUADRANT_ACTIONS).toEqual({
      HIGH_FIT_HIGH_ENGAGEMENT: 'ROUTE_NOW',
      HIGH_FIT_LOW_ENGAGEMENT: 'NURTURE_AND_ALERT',
      LOW_FIT_HIGH_ENGAGEMENT: 'REVIEW',
      LOW_FIT_LOW_ENGAGEMENT: 'DEPRIORITIZE',
    });
  });
});
