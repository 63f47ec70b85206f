import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ActivityFacts, ContactFacts } from './facts';
import type { FeatureSetV2 } from './model-definition';
import {
  extractFeatures,
  featureColumns,
  propertyCategory,
  urlPathCategory,
} from './predictive-features';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const DAY = 86_400_000;
const HOUR = 3_600_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

const SET: FeatureSetV2 = {
  version: 2,
  fields: [
    { path: 'contact.seniority', type: 'category' },
    { path: 'account.employeeCount', type: 'number' },
    { path: 'contact.attributes.score', type: 'number' },
    { path: 'contact.attributes.newsletter', type: 'boolean' },
    { path: 'contact.attributes.signedUp', type: 'date' },
    { path: 'account.technologies', type: 'list', values: ['salesforce', 'hubspot'] },
  ],
  activities: { types: ['ANY', 'EMAIL_CLICK', 'PAGE_VIEW'], halfLivesDays: [7, 30] },
  properties: [
    { property: 'url', urlPath: true, values: ['/pricing', '/docs'] },
    { property: 'channel', values: ['paid', 'organic'] },
  ],
};

const contact: ContactFacts = {
  email: 'ada@globex.com',
  seniority: 'VP',
  attributes: { score: '42.5', newsletter: 'yes', signedUp: '2026-05-22', junk: { a: 1 } },
};
const account = { employeeCount: 800, technologies: ['Salesforce', 'Segment'] };

const activity = (
  id: string,
  type: ActivityFacts['type'],
  at: Date,
  properties: Record<string, unknown> = {},
): ActivityFacts => ({ id, type, occurredAt: at, properties });

const activities: ActivityFacts[] = [
  activity('a1', 'EMAIL_CLICK', ago(7), { channel: 'Paid' }),
  activity('a2', 'EMAIL_CLICK', ago(14), { channel: 'organic' }),
  activity('a3', 'PAGE_VIEW', ago(30), { url: 'https://globex.com/pricing/teams?x=1' }),
  activity('a4', 'PAGE_VIEW', ago(1), { url: '/docs/api' }),
  // After the moment scored: never counted.
  activity('a5', 'EMAIL_CLICK', new Date(NOW.getTime() + HOUR), { channel: 'paid' }),
];

describe('extractFeatures (version 2)', () => {
  const row = extractFeatures(SET, contact, account, activities, NOW);

  it('reads fields and attributes by their type', () => {
    expect(row['contact.seniority']).toBe('VP');
    expect(row['account.employeeCount']).toBe(800);
    expect(row['contact.attributes.score']).toBe(42.5);
    expect(row['contact.attributes.newsletter']).toBe('true');
    // 2026-05-22T00:00Z to 2026-06-01T12:00Z: 10.5 days.
    expect(row['contact.attributes.signedUp']).toBeCloseTo(10.5, 12);
    expect(row['account.technologies=salesforce']).toBe(1);
    expect(row['account.technologies=hubspot']).toBe(0);
  });

  it('decays activity counts with each half-life, counts them and times the newest', () => {
    // Clicks 7 and 14 days ago: 2^-1 + 2^-2 with a 7-day half-life.
    expect(row['activity.EMAIL_CLICK.7d']).toBeCloseTo(0.75, 12);
    expect(row['activity.EMAIL_CLICK.30d']).toBeCloseTo(2 ** (-7 / 30) + 2 ** (-14 / 30), 12);
    expect(row['activity.EMAIL_CLICK.count']).toBe(2);
    expect(row['activity.EMAIL_CLICK.daysSince']).toBeCloseTo(7, 12);
    expect(row['activity.ANY.count']).toBe(4);
    expect(row['activity.ANY.daysSince']).toBeCloseTo(1, 12);
  });

  it('counts the categories activity properties carry, a url by the first segment of its path', () => {
    expect(row['activity.properties.url=/pricing.30d']).toBeCloseTo(0.5, 12);
    expect(row['activity.properties.url=/docs.30d']).toBeCloseTo(2 ** (-1 / 30), 12);
    expect(row['activity.properties.channel=paid.30d']).toBeCloseTo(2 ** (-7 / 30), 12);
    expect(row['activity.properties.channel=organic.30d']).toBeCloseTo(2 ** (-14 / 30), 12);
  });

  it('gives every column of the set, and only those', () => {
    expect(Object.keys(row).sort()).toEqual(
      featureColumns(SET)
        .map((c) => c.name)
        .sort(),
    );
  });

  it('marks what is missing as missing, and no activity as zero counts', () => {
    const bare = extractFeatures(SET, { email: 'x@y.io' }, null, [], NOW);
    expect(bare['account.employeeCount']).toBeNull();
    expect(bare['contact.seniority']).toBeNull();
    expect(bare['account.technologies=salesforce']).toBeNull();
    expect(bare['activity.ANY.count']).toBe(0);
    expect(bare['activity.ANY.daysSince']).toBeNull();
    expect(bare['activity.EMAIL_CLICK.7d']).toBe(0);
  });
});

describe('properties that keep scores steady', () => {
  const arbitraryActivities = fc.array(
    fc.record({
      id: fc.uuid(),
      type: fc.constantFrom('EMAIL_CLICK' as const, 'PAGE_VIEW' as const, 'MEETING' as const),
      ageMs: fc.integer({ min: 1, max: 400 * DAY }),
      channel: fc.constantFrom('paid', 'organic', 'other'),
    }),
    { maxLength: 40 },
  );
  const toFacts = (
    list: { id: string; type: ActivityFacts['type']; ageMs: number; channel: string }[],
  ) =>
    list.map((a) =>
      activity(a.id, a.type, new Date(NOW.getTime() - a.ageMs), { channel: a.channel }),
    );

  it('is independent of the order activities arrive in, bit for bit', () => {
    fc.assert(
      fc.property(arbitraryActivities, fc.integer(), (list, seed) => {
        const facts = toFacts(list);
        const shuffled = [...facts].sort(
          (a, b) => ((a.id.charCodeAt(3) * seed) % 7) - ((b.id.charCodeAt(3) * seed) % 7),
        );
        const reversed = [...facts].reverse();
        const row = extractFeatures(SET, contact, account, facts, NOW);
        expect(extractFeatures(SET, contact, account, shuffled, NOW)).toEqual(row);
        expect(extractFeatures(SET, contact, account, reversed, NOW)).toEqual(row);
      }),
    );
  });

  it('moves every time-varying column by a sliver, and nothing else, in an hour of ageing', () => {
    const columns = featureColumns(SET);
    fc.assert(
      fc.property(arbitraryActivities, (list) => {
        const facts = toFacts(list).filter((a) => NOW.getTime() - a.occurredAt.getTime() > HOUR);
        const now = extractFeatures(SET, contact, account, facts, NOW);
        const later = extractFeatures(SET, contact, account, facts, new Date(NOW.getTime() + HOUR));
        for (const c of columns) {
          const a = now[c.name];
          const b = later[c.name];
          if (!c.timeVarying || typeof a !== 'number' || typeof b !== 'number') {
            expect(b).toEqual(a);
          } else if (c.name.endsWith('.daysSince') || c.name === 'contact.attributes.signedUp') {
            expect(b - a).toBeCloseTo(1 / 24, 9);
          } else {
            // A decayed count loses at most its value × (1 − 2^(−1 h / 7 d)): under 0.5%.
            expect(a - b).toBeGreaterThanOrEqual(0);
            expect(a - b).toBeLessThanOrEqual(a * (1 - 2 ** (-1 / 24 / 7)) + 1e-12);
          }
        }
      }),
    );
  });
});

describe('activity property categories', () => {
  it('reads a url as the first segment of its path', () => {
    expect(urlPathCategory('https://globex.com/Pricing/teams?x=1'.toLowerCase())).toBe('/pricing');
    expect(urlPathCategory('/docs/api#intro')).toBe('/docs');
    expect(urlPathCategory('https://globex.com')).toBe('/');
    expect(urlPathCategory('/')).toBe('/');
  });

  it('reads other properties as lower-cased text, and nothing from the prototype', () => {
    expect(propertyCategory({ channel: ' Paid ' }, 'channel', false)).toBe('paid');
    expect(propertyCategory({ channel: { nested: 1 } }, 'channel', false)).toBeNull();
    expect(propertyCategory({}, 'constructor', false)).toBeNull();
    expect(propertyCategory(null, 'channel', false)).toBeNull();
  });
});
