import { describe, expect, it } from 'vitest';
import { assertEnoughOutcomes, ColdStartError, MIN_CONVERSIONS } from './cold-start';

const labels = (conversions: number, nonConversions: number) => [
  ...new Array<number>(conversions).fill(1),
  ...new Array<number>(nonConversions).fill(0),
];

describe('cold start', () => {
  it('needs 200 conversions', () => {
    expect(MIN_CONVERSIONS).toBe(200);
    expect(() => assertEnoughOutcomes(labels(200, 5_000))).not.toThrow();
  });

  it('refuses with the counts in a clear message', () => {
    let error: unknown;
    try {
      assertEnoughOutcomes(labels(57, 1_203));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ColdStartError);
    const e = error as ColdStartError;
    expect(e).toMatchObject({
      name: 'ColdStartError',
      conversions: 57,
      nonConversions: 1_203,
      required: 200,
    });
    expect(e.message).toBe(
      'Not enough outcomes to train a predictive model: 57 conversions and 1,203 non-conversions, ' +
        'but at least 200 of each are needed. Keep scoring with the rules model until more outcomes ' +
        'are recorded.',
    );
  });

  it('also needs enough non-conversions, and takes another floor', () => {
    expect(() => assertEnoughOutcomes(labels(5_000, 150))).toThrow(/150 non-conversions/);
    expect(() => assertEnoughOutcomes(labels(1, 1), 1)).not.toThrow();
    expect(() => assertEnoughOutcomes(labels(1, 0), 1)).toThrow(
      /1 conversion and 0 non-conversions/,
    );
  });
});
