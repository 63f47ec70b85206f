import { describe, expect, it } from 'vitest';
import { decayedEngagementCounts } from './engagement-features';

const DAY = 86_400_000;
const asOf = Date.UTC(2026, 0, 31);

describe('decayedEngagementCounts', () => {
  it('halves an activity per half-life and ignores anything at or after the as-of moment', () => {
    const counts = decayedEngagementCounts(
      [
        { type: 'EMAIL_CLICK', occurredAtMs: asOf - 30 * DAY },
        { type: 'EMAIL_CLICK', occurredAtMs: asOf - 60 * DAY },
        { type: 'PAGE_VIEW', occurredAtMs: asOf },
        { type: 'PAGE_VIEW', occurredAtMs: asOf + DAY },
        { type: 'WEBINAR', occurredAtMs: asOf - DAY },
      ],
      asOf,
      30,
      ['EMAIL_CLICK', 'PAGE_VIEW', 'FORM_SUBMIT'],
    );
    expect(counts).toEqual({
      'engagement.EMAIL_CLICK': 0.75,
      'engagement.PAGE_VIEW': 0,
      'engagement.FORM_SUBMIT': 0,
    });
  });

  it('refuses a non-positive half-life', () => {
    expect(() => decayedEngagementCounts([], asOf, 0, [])).toThrow(/halfLifeDays/);
  });
});
