/**
 * Under the default model, a contact's tier, lifecycle stage and quadrant action never
 * contradict each other, whatever the contact, its activities, and the cut-offs the workspace's
 * share-based tiers have moved to.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultModelDefinition } from './default-model';
import type { ActivityFacts } from './facts';
import { nextLifecycle } from './lifecycle';
import { ACTIVITY_TYPES } from './model-definition';
import { scoreLead } from './score-lead';

const NOW = new Date('2026-06-01T00:00:00.000Z');
const DAY = 86_400_000;
const model = defaultModelDefinition();
const top = model.tiers[0]!.name;

const contactArb = fc.record({
  email: fc.constantFrom('a@globex.com', 'b@gmail.com', 'c@competitor.example'),
  title: fc.constantFrom(null, 'Student', 'VP Sales', 'Intern', 'Engineer'),
  seniority: fc.constantFrom(null, 'C-Level', 'VP', 'Director', 'Manager', 'Staff'),
  country: fc.constantFrom(null, 'US', 'DE', 'BR'),
});
const accountArb = fc.option(
  fc.record({
    industry: fc.constantFrom(null, 'Software', 'Retail'),
    employeeCount: fc.option(fc.integer({ min: 1, max: 20_000 })),
    country: fc.constantFrom(null, 'US', 'JP'),
  }),
);
const activitiesArb = fc.array(
  fc.record({
    type: fc.constantFrom(...ACTIVITY_TYPES),
    ageDays: fc.double({ min: 0.01, max: 200, noNaN: true }),
    pricing: fc.boolean(),
  }),
  { maxLength: 25 },
);
/** Wherever the kept cut-offs of the share-based tiers have moved. */
const cutoffsArb = fc.option(
  fc.record({
    top: fc.double({ min: -50, max: 250, noNaN: true }),
    mid: fc.double({ min: -50, max: 250, noNaN: true }),
  }),
);

function facts(list: { type: ActivityFacts['type']; ageDays: number; pricing: boolean }[]) {
  return list.map((a, i): ActivityFacts => ({
    id: `a${i}`,
    type: a.type,
    occurredAt: new Date(NOW.getTime() - a.ageDays * DAY),
    properties: a.pricing ? { url: '/pricing' } : {},
  }));
}

describe('the default model: tier, lifecycle and action agree', () => {
  it('puts a contact in the top tier only when the action is to route it now (or a demo request overrides)', () => {
    fc.assert(
      fc.property(contactArb, accountArb, activitiesArb, cutoffsArb, (c, a, list, cut) => {
        const cutoffs = cut
          ? new Map([
              [model.tiers[0]!.name, cut.top],
              [model.tiers[1]!.name, cut.mid],
            ])
          : undefined;
        const score = scoreLead(model, c, a, facts(list), NOW, cutoffs);
        if (score.tier === top && score.override === null) {
          expect(score.action).toBe('ROUTE_NOW');
        }
        if (score.action === 'DEPRIORITIZE' || score.action === 'NURTURE_AND_ALERT') {
          expect(score.tier === top).toBe(score.override !== null);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('qualifies a lead (MQL, SQL) only when it is engaged, never on fit alone', () => {
    fc.assert(
      fc.property(contactArb, accountArb, activitiesArb, (c, a, list) => {
        const score = scoreLead(model, c, a, facts(list), NOW);
        const step = nextLifecycle(
          model,
          { stage: 'LEAD', belowMqlSince: null },
          score.total,
          NOW,
          score.engagement,
        );
        if (step.transition !== null) {
          expect(['ROUTE_NOW', 'REVIEW']).toContain(score.action);
          expect(score.engagement).toBeGreaterThanOrEqual(model.quadrant.engagementThreshold);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('leaves a contact with no activity out of the top tier and unqualified, however well it fits', () => {
    const score = scoreLead(
      model,
      { email: 'cto@globex.com', seniority: 'C-Level', country: 'US' },
      { industry: 'Software', employeeCount: 800, country: 'US' },
      [],
      NOW,
    );
    expect(score.fit).toBe(85);
    expect(score.total).toBe(75);
    expect(score.tier).toBe('NURTURE');
    expect(score.action).toBe('NURTURE_AND_ALERT');
    const step = nextLifecycle(model, { stage: 'LEAD', belowMqlSince: null }, score.total, NOW, 0);
    expect(step.transition).toBeNull();
  });
});
