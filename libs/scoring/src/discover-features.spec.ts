import { describe, expect, it } from 'vitest';
import { discoverFeatures, matchesPattern, type DiscoverySample } from './discover-features';
import type { ActivityFacts } from './facts';

const AT = new Date('2026-06-01T00:00:00.000Z');

/** 200 contacts of a CRM export with custom attributes of every kind. */
function samples(n = 200): DiscoverySample[] {
  return Array.from({ length: n }, (_, i) => {
    const activities: ActivityFacts[] = [];
    if (i % 2 === 0) {
      activities.push({
        id: `a${i}`,
        type: 'PAGE_VIEW',
        occurredAt: AT,
        properties: { url: i % 4 === 0 ? '/pricing/x' : 'https://a.io/docs', session: `s${i}` },
      });
    }
    if (i % 50 === 0) activities.push({ id: `m${i}`, type: 'MEETING', occurredAt: AT });
    return {
      contact: {
        email: `p${i}@co${i % 20}.io`,
        seniority: ['VP', 'Manager', 'Director'][i % 3]!,
        attributes: {
          score: String(i % 37),
          newsletter: i % 3 === 0 ? 'yes' : 'no',
          signedUp: `2026-0${1 + (i % 5)}-1${i % 9}`,
          crmId: `id-${i}`,
          plan: ['free', 'team', 'enterprise'][i % 3],
          constant: 'same',
          rare: i < 5 ? 'x' : undefined,
          interests: i % 2 ? ['AI', 'Data'] : ['data'],
        },
      },
      account:
        i % 10 === 0 ? null : { domain: `co${i % 20}.io`, employeeCount: 50 + i, industry: 'SaaS' },
      activities,
    };
  });
}

describe('discoverFeatures', () => {
  const { set, skipped } = discoverFeatures(samples());
  const typeOf = (path: string) => set.fields.find((f) => f.path === path)?.type;
  const why = (path: string) => skipped.find((s) => s.path === path)?.reason;

  it('types custom attributes from their values', () => {
    expect(typeOf('contact.attributes.score')).toBe('number');
    expect(typeOf('contact.attributes.newsletter')).toBe('boolean');
    expect(typeOf('contact.attributes.signedUp')).toBe('date');
    expect(typeOf('contact.attributes.plan')).toBe('category');
    expect(typeOf('contact.attributes.interests')).toBe('list');
    expect(set.fields.find((f) => f.path === 'contact.attributes.interests')!.values).toEqual([
      'data',
      'ai',
    ]);
    expect(typeOf('contact.seniority')).toBe('category');
    expect(typeOf('account.employeeCount')).toBe('number');
  });

  it('leaves out ids, constants, rarities and what identifies rather than describes', () => {
    expect(why('contact.attributes.crmId')).toMatch(/an id or free text/);
    expect(why('contact.attributes.constant')).toMatch(/same value/);
    expect(why('account.industry')).toMatch(/same value/);
    expect(why('contact.attributes.rare')).toMatch(/filled for 5 contacts; 10 needed/);
    expect(why('account.domain')).toMatch(/identifies/);
    expect(why('contact.title')).toMatch(/filled for 0/);
  });

  it('learns from activity types enough contacts did, and any activity', () => {
    expect(set.activities.types).toEqual(['ANY', 'PAGE_VIEW']);
    expect(why('activity.MEETING')).toMatch(/done by 4 contacts; 10 needed/);
    expect(set.activities.halfLivesDays).toEqual([7, 30, 90]);
  });

  it('keeps activity properties that carry a category, urls by their path', () => {
    expect(set.properties).toEqual([
      { property: 'url', urlPath: true, values: ['/docs', '/pricing'] },
    ]);
    expect(why('activity.properties.session')).toMatch(/does not carry a category/);
  });

  it('obeys include and exclude patterns', () => {
    const only = discoverFeatures(samples(), {
      include: ['contact.attributes.*', 'activity.ANY'],
      exclude: ['contact.attributes.score'],
    });
    expect(only.set.fields.map((f) => f.path).sort()).toEqual([
      'contact.attributes.interests',
      'contact.attributes.newsletter',
      'contact.attributes.plan',
      'contact.attributes.signedUp',
    ]);
    expect(only.set.activities.types).toEqual(['ANY']);
    expect(only.set.properties).toEqual([]);
    expect(only.skipped.find((s) => s.path === 'contact.attributes.score')!.reason).toBe(
      'matched by features.exclude',
    );
  });
});

describe('matchesPattern', () => {
  it('matches * as any run of characters and nothing else as special', () => {
    expect(matchesPattern('contact.attributes.x', 'contact.attributes.*')).toBe(true);
    expect(matchesPattern('contact.seniority', 'contact.attributes.*')).toBe(false);
    expect(matchesPattern('activity.PAGE_VIEW', '*PAGE*')).toBe(true);
    expect(matchesPattern('aXb', 'a.b')).toBe(false);
    expect(matchesPattern('a.b', 'a.b')).toBe(true);
  });

  it('answers patterns that would make a backtracking regular expression hang', () => {
    // A regular expression built from this pattern takes O(n^10) steps on 200 characters.
    expect(matchesPattern('a'.repeat(200), '*a*a*a*a*a*a*a*a*a*a*b')).toBe(false);
    expect(matchesPattern(`${'a'.repeat(200)}b`, '*a*a*a*a*a*a*a*a*a*a*b')).toBe(true);
  });
});
