import { describe, expect, it } from 'vitest';
import { resolveMapping } from './column-mapping';
import { convertRow, derivedExternalId } from './row-conversion';

describe('convertRow', () => {
  const accounts = resolveMapping(
    'accounts',
    [
      'Company Domain Name',
      'Website URL',
      'Company name',
      'Number of Employees',
      'Annual Revenue',
      'Technologies',
      'Tier',
    ],
    { Tier: 'attributes.tier' },
  );

  it('builds the account input, leaving empty cells out', () => {
    expect(
      convertRow(accounts, [
        '',
        'https://www.globex.com',
        ' Globex ',
        '1,200',
        '',
        'Salesforce; HubSpot',
        'A',
      ]),
    ).toEqual({
      ok: true,
      input: {
        domain: 'https://www.globex.com',
        name: 'Globex',
        employeeCount: 1200,
        technologies: ['Salesforce', 'HubSpot'],
        attributes: { tier: 'A' },
      },
      sources: expect.any(Map),
    });
  });

  it('remembers the column each value came from, to name it when the API refuses it', () => {
    const result = convertRow(accounts, ['', 'globex', 'Globex', '', '', '', '']);
    expect(result.ok && Object.fromEntries(result.sources)).toEqual({
      domain: 'Website URL',
      name: 'Company name',
    });
  });

  it('gives every reason a row cannot be sent, naming the columns', () => {
    expect(convertRow(accounts, ['', '', 'Globex', '51-200', 'lots', '', ''])).toEqual({
      ok: false,
      reasons: [
        'Company Domain Name and Website URL are empty',
        'Number of Employees: "51-200" is not a whole number',
        'Annual Revenue: "lots" is not an amount',
      ],
    });
    expect(convertRow(accounts, ['globex.com'])).toEqual({
      ok: false,
      reasons: ['has 1 fields where the header has 7'],
    });
  });

  const activities = resolveMapping('activities', [
    'Activity Type',
    'Timestamp',
    'Email',
    'Company Domain Name',
    'Page URL',
    'Record ID',
  ]);

  it('builds an activity with one subject, the most precise given', () => {
    const result = convertRow(activities, [
      'Page View',
      '2026-11-02 10:00',
      'Ann@Globex.com',
      'globex.com',
      '/pricing',
      'hs-991',
    ]);
    expect(result).toEqual({
      ok: true,
      input: {
        type: 'PAGE_VIEW',
        occurredAt: '2026-11-02T10:00:00.000Z',
        email: 'Ann@Globex.com',
        properties: { url: '/pricing' },
        externalId: 'hs-991',
      },
      sources: expect.any(Map),
    });
    const accountLevel = convertRow(activities, [
      'Meeting',
      '2026-11-02',
      '',
      'globex.com',
      '',
      'x',
    ]);
    expect(accountLevel.ok && accountLevel.input['accountDomain']).toBe('globex.com');
  });

  it('refuses an activity without a type, time or subject', () => {
    expect(convertRow(activities, ['Phone call', 'soon', '', '', '', ''])).toEqual({
      ok: false,
      reasons: [
        expect.stringMatching(/^Activity Type: "Phone call" is not an activity type \(EMAIL_OPEN/),
        'Timestamp: "soon" is not a date-time (ISO 8601, epoch or M/D/YYYY)',
        'has no email, contact id, account id or account domain',
      ],
    });
  });

  it('derives the same externalId for the same activity, whatever the email case', () => {
    const row = (email: string, url: string) =>
      convertRow(activities, ['Page View', '2026-11-02 10:00:00', email, '', url, '']);
    const a = row('ann@globex.com', '/pricing');
    const b = row('ANN@globex.com', '/pricing');
    const c = row('ann@globex.com', '/docs');
    const id = (r: ReturnType<typeof row>) => (r.ok ? r.input['externalId'] : null);
    expect(id(a)).toMatch(/^csv-[0-9a-f]{40}$/);
    expect(id(b)).toBe(id(a));
    expect(id(c)).not.toBe(id(a));
    expect(
      derivedExternalId({
        type: 'MEETING',
        occurredAt: '2026-11-02T00:00:00.000Z',
        accountDomain: 'x.com',
      }),
    ).not.toBe(
      derivedExternalId({
        type: 'MEETING',
        occurredAt: '2026-11-03T00:00:00.000Z',
        accountDomain: 'x.com',
      }),
    );
  });
});
