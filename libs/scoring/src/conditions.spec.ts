import { describe, expect, it } from 'vitest';
import { defaultAccountSection } from './default-model';
import { compileCondition, isPresent } from './conditions';
import type { AccountFacts, ContactFacts } from './facts';
import { emailDomain, FIELDS, fieldReader, resolveFieldType } from './fields';
import type { AttributeRule, ConditionOp, ConditionValue } from './model-definition';
import { scoreLead } from './score-lead';

const check = (op: ConditionOp, value: ConditionValue | undefined, actual: unknown) =>
  compileCondition(op, value)(actual);

const MISSING: unknown[] = [null, undefined, '', '   ', [], ['', '  '], Number.NaN];

describe('conditions', () => {
  it('EQ / NEQ compare trimmed text case-insensitively, numbers numerically', () => {
    expect(check('EQ', 'Director', '  director ')).toBe(true);
    expect(check('EQ', ' DIRECTOR', 'Director')).toBe(true);
    expect(check('EQ', 'Director', 'Directors')).toBe(false);
    expect(check('NEQ', 'Director', 'DIRECTOR')).toBe(false);
    expect(check('NEQ', 'Director', 'VP')).toBe(true);
    expect(check('EQ', 500, 500)).toBe(true);
    expect(check('EQ', 500, '500')).toBe(true);
    expect(check('EQ', 500, 501)).toBe(false);
    expect(check('EQ', true, true)).toBe(true);
    expect(check('EQ', true, 'TRUE')).toBe(true);
    expect(check('EQ', true, false)).toBe(false);
  });

  it('IN / NOT_IN test membership the same way', () => {
    expect(check('IN', ['Software', 'SaaS'], ' saas')).toBe(true);
    expect(check('IN', ['Software', 'SaaS'], 'Retail')).toBe(false);
    expect(check('IN', [10, 20], 20)).toBe(true);
    expect(check('IN', [10, 20], '10')).toBe(true);
    expect(check('NOT_IN', ['gmail.com'], 'GMAIL.com')).toBe(false);
    expect(check('NOT_IN', ['gmail.com'], 'acme.com')).toBe(true);
  });

  it('CONTAINS is a substring test on text, and an element test on lists', () => {
    expect(check('CONTAINS', '/pricing', 'https://acme.io/Pricing/team')).toBe(true);
    expect(check('CONTAINS', '/pricing', 'https://acme.io/blog')).toBe(false);
    expect(check('CONTAINS', 'salesforce', ['HubSpot', ' SALESFORCE '])).toBe(true);
    // On a list, an element must equal the value: a substring of an element is not enough.
    expect(check('CONTAINS', 'sales', ['Salesforce'])).toBe(false);
    expect(check('CONTAINS', 'salesforce', ['HubSpot'])).toBe(false);
  });

  it('MATCHES is a case-insensitive regular expression on the trimmed text', () => {
    const student = '\\bstudent\\b|\\bintern\\b';
    expect(check('MATCHES', student, 'PhD Student')).toBe(true);
    expect(check('MATCHES', student, 'Marketing INTERN')).toBe(true);
    expect(check('MATCHES', student, 'International Sales')).toBe(false);
    expect(check('MATCHES', '^vp$', '  VP  ')).toBe(true);
    expect(check('MATCHES', 'postgres', ['MySQL', 'PostgreSQL'])).toBe(true);
    // A stateless pattern: the same value matches on every call.
    const predicate = compileCondition('MATCHES', 'a');
    expect([predicate('a'), predicate('a'), predicate('a')]).toEqual([true, true, true]);
  });

  it('GTE / LTE / BETWEEN compare numbers, bounds inclusive', () => {
    expect(check('GTE', 200, 200)).toBe(true);
    expect(check('GTE', 200, 199.99)).toBe(false);
    expect(check('LTE', 200, 200)).toBe(true);
    expect(check('LTE', 200, 200.01)).toBe(false);
    expect(check('BETWEEN', [200, 1000], 200)).toBe(true);
    expect(check('BETWEEN', [200, 1000], 1000)).toBe(true);
    expect(check('BETWEEN', [200, 1000], 199)).toBe(false);
    expect(check('BETWEEN', [200, 1000], 1001)).toBe(false);
    expect(check('BETWEEN', [5, 5], 5)).toBe(true);
    expect(check('GTE', 10, ' 12 ')).toBe(true);
    expect(check('GTE', 10, 'twelve')).toBe(false);
    expect(check('GTE', 10, true)).toBe(false);
  });

  it('EXISTS true / absent means present and non-empty; EXISTS false the opposite', () => {
    for (const present of ['x', 0, false, ['a'], { any: 'object' }]) {
      expect(check('EXISTS', true, present)).toBe(true);
      expect(check('EXISTS', undefined, present)).toBe(true);
      expect(check('EXISTS', false, present)).toBe(false);
    }
    for (const missing of MISSING) {
      expect(isPresent(missing)).toBe(false);
      expect(check('EXISTS', true, missing)).toBe(false);
      expect(check('EXISTS', false, missing)).toBe(true);
    }
  });

  it('a missing value matches nothing except NEQ, NOT_IN and EXISTS false', () => {
    const cases: Array<[ConditionOp, ConditionValue | undefined, boolean]> = [
      ['EQ', 'x', false],
      ['NEQ', 'x', true],
      ['IN', ['x'], false],
      ['NOT_IN', ['x'], true],
      ['CONTAINS', 'x', false],
      ['MATCHES', '.*', false],
      ['GTE', -1e9, false],
      ['LTE', 1e9, false],
      ['BETWEEN', [-1e9, 1e9], false],
      ['EXISTS', true, false],
      ['EXISTS', false, true],
    ];
    for (const missing of MISSING) {
      for (const [op, value, expected] of cases) {
        expect({ op, missing, matched: check(op, value, missing) }).toEqual({
          op,
          missing,
          matched: expected,
        });
      }
    }
  });

  it('on a list, a positive op needs some element, and its negation needs none', () => {
    expect(check('EQ', 'b', ['a', 'B'])).toBe(true);
    expect(check('NEQ', 'b', ['a', 'B'])).toBe(false);
    expect(check('NEQ', 'c', ['a', 'B'])).toBe(true);
    expect(check('GTE', 10, [3, 11])).toBe(true);
    expect(check('NOT_IN', ['x', 'y'], ['a', 'Y'])).toBe(false);
  });
});

describe('fields', () => {
  it('lists the known fields with their types', () => {
    expect(FIELDS.map((f) => `${f.field}:${f.type}`)).toEqual([
      'contact.title:string',
      'contact.seniority:string',
      'contact.department:string',
      'contact.country:string',
      'contact.emailDomain:string',
      'account.industry:string',
      'account.domain:string',
      'account.employeeCount:number',
      'account.annualRevenue:number',
      'account.country:string',
      'account.region:string',
      'account.technologies:stringList',
    ]);
    expect(resolveFieldType('contact.attributes.plan')).toBe('any');
    expect(resolveFieldType('account.attributes.tier')).toBe('any');
    expect(resolveFieldType('contact.attributes.')).toBeNull();
    expect(resolveFieldType('contact.name')).toBeNull();
  });

  it('derives the email domain: lower-cased, after the last @', () => {
    expect(emailDomain('Dana@Sub.ACME.io')).toBe('sub.acme.io');
    expect(emailDomain('"odd@name"@gmail.com')).toBe('gmail.com');
    expect(emailDomain('no-at-sign')).toBeNull();
    expect(emailDomain('trailing@')).toBeNull();
  });

  it('reads account fields as null when there is no account', () => {
    const read = fieldReader('account.industry')!;
    expect(read({ email: 'a@b.co' }, null)).toBeUndefined();
    expect(read({ email: 'a@b.co' }, { industry: 'Software' })).toBe('Software');
  });

  it('reads custom attributes as own properties only', () => {
    const read = fieldReader('contact.attributes.constructor')!;
    expect(read({ email: 'a@b.co', attributes: {} }, null)).toBeUndefined();
    expect(read({ email: 'a@b.co', attributes: { constructor: 'x' } }, null)).toBe('x');
    const plan = fieldReader('account.attributes.plan')!;
    expect(plan({ email: 'a@b.co' }, { attributes: { plan: 'Enterprise' } })).toBe('Enterprise');
  });
});

describe('attribute rules through scoreLead', () => {
  const NOW = new Date('2025-01-01T00:00:00.000Z');
  const fitOf = (
    rules: Array<Omit<AttributeRule, 'id' | 'label'>>,
    contact: ContactFacts,
    account: AccountFacts | null,
  ) =>
    scoreLead(
      {
        fit: { max: 1000, rules: rules.map((r, i) => ({ ...r, id: `r${i}`, label: `R${i}` })) },
        engagement: { max: 100, halfLifeDays: null, lookbackDays: null, rules: [] },
        negative: { rules: [] },
        tiers: [{ name: 'ALL', min: 0 }],
        grades: [{ grade: 'A', minFit: 0 }],
        quadrant: { fitThreshold: 1, engagementThreshold: 1 },
        lifecycle: { mql: 1, sql: 2, dormantDays: 1 },
        account: defaultAccountSection(),
      },
      contact,
      account,
      [],
      NOW,
    ).fit;

  it('scores every field kind with the documented ops', () => {
    const contact: ContactFacts = {
      email: 'Kim@Globex.COM',
      title: 'VP Engineering',
      seniority: 'VP',
      department: 'Engineering',
      country: 'DE',
      attributes: { nps: '9' },
    };
    const account: AccountFacts = {
      domain: 'globex.com',
      industry: 'SaaS',
      employeeCount: 1000,
      annualRevenue: 5e7,
      country: 'Germany',
      region: 'EMEA',
      technologies: ['Snowflake', 'dbt'],
      attributes: { tier: 'Strategic' },
    };
    const fit = fitOf(
      [
        { field: 'contact.emailDomain', op: 'EQ', value: 'globex.com', points: 1 },
        { field: 'contact.title', op: 'MATCHES', value: '^vp\\b', points: 2 },
        { field: 'contact.department', op: 'NEQ', value: 'Sales', points: 4 },
        { field: 'contact.country', op: 'IN', value: ['de', 'fr'], points: 8 },
        { field: 'account.employeeCount', op: 'BETWEEN', value: [200, 1000], points: 16 },
        { field: 'account.annualRevenue', op: 'GTE', value: 1e7, points: 32 },
        { field: 'account.technologies', op: 'CONTAINS', value: 'DBT', points: 64 },
        { field: 'contact.attributes.nps', op: 'GTE', value: 9, points: 128 },
        { field: 'account.attributes.tier', op: 'EQ', value: 'strategic', points: 256 },
        // These do not match:
        { field: 'account.region', op: 'EQ', value: 'APAC', points: 1000 },
        { field: 'account.employeeCount', op: 'LTE', value: 999, points: 1000 },
      ],
      contact,
      account,
    );
    expect(fit).toBe(1 + 2 + 4 + 8 + 16 + 32 + 64 + 128 + 256);
  });

  it('without an account, only NEQ / NOT_IN / EXISTS false match account fields', () => {
    const fit = fitOf(
      [
        { field: 'account.industry', op: 'EQ', value: 'SaaS', points: 1 },
        { field: 'account.industry', op: 'NEQ', value: 'SaaS', points: 2 },
        { field: 'account.country', op: 'NOT_IN', value: ['US'], points: 4 },
        { field: 'account.employeeCount', op: 'EXISTS', value: false, points: 8 },
        { field: 'account.employeeCount', op: 'LTE', value: 10, points: 16 },
        { field: 'account.technologies', op: 'CONTAINS', value: 'dbt', points: 32 },
      ],
      { email: 'solo@example.com' },
      null,
    );
    expect(fit).toBe(2 + 4 + 8);
  });
});
