import { describe, expect, it } from 'vitest';
import { MappingError, parseMapFlags, parseMappingJson, resolveMapping } from './column-mapping';

const pairs = (m: ReturnType<typeof resolveMapping>) => m.columns.map((c) => [c.header, c.field]);

describe('resolveMapping', () => {
  it('recognises Salesforce and HubSpot headers case-insensitively', () => {
    const m = resolveMapping('contacts', [
      'EMAIL ',
      'first  name',
      'Last Name',
      'Job Title',
      'Seniority',
      'Lead Source',
    ]);
    expect(pairs(m)).toEqual([
      ['EMAIL ', 'email'],
      ['first  name', 'firstName'],
      ['Last Name', 'lastName'],
      ['Job Title', 'title'],
      ['Seniority', 'seniority'],
    ]);
    expect(m.ignored).toEqual(['Lead Source']);
  });

  it('lists every usual column of a field, the most specific first', () => {
    const m = resolveMapping('accounts', ['Website URL', 'Company Domain Name', 'Name']);
    expect(pairs(m)).toEqual([
      ['Company Domain Name', 'domain'],
      ['Name', 'name'],
      ['Website URL', 'domain'],
    ]);
  });

  it('matches a header equal to the field name', () => {
    const m = resolveMapping('accounts', ['domain', 'employeeCount']);
    expect(pairs(m)).toEqual([
      ['domain', 'domain'],
      ['employeeCount', 'employeeCount'],
    ]);
  });

  it('lets overrides win, drop columns and feed free-form attributes', () => {
    const m = resolveMapping('accounts', ['Website URL', 'Company Domain Name', 'Tier', 'Name'], {
      'website url': 'domain',
      'Company Domain Name': null,
      Tier: 'attributes.tier',
      Name: '',
    });
    expect(pairs(m)).toEqual([
      ['Website URL', 'domain'],
      ['Tier', 'attributes.tier'],
    ]);
    expect(m.ignored).toEqual(['Company Domain Name', 'Name']);
  });

  it('brings every unmatched column in as an attribute when asked, except those left out', () => {
    const headers = ['Email', 'Lead Source', 'Annual Spend', 'Notes', 'Job Title'];
    const m = resolveMapping('contacts', headers, { Notes: null }, ',', true);
    expect(pairs(m)).toEqual([
      ['Email', 'email'],
      ['Lead Source', 'attributes.Lead Source'],
      ['Annual Spend', 'attributes.Annual Spend'],
      ['Job Title', 'title'],
    ]);
    expect(m.ignored).toEqual(['Notes']);
    const events = resolveMapping(
      'activities',
      ['Type', 'Date', 'Email', 'Utm Medium'],
      {},
      ',',
      true,
    );
    expect(pairs(events)).toContainEqual(['Utm Medium', 'properties.Utm Medium']);
    expect(resolveMapping('contacts', headers).ignored).toEqual([
      'Lead Source',
      'Annual Spend',
      'Notes',
    ]);
  });

  it('refuses what cannot work, naming it', () => {
    expect(() => resolveMapping('accounts', ['Name'])).toThrow(
      /no column for domain: map one with --map "Your Header=domain" \(columns: Name\)/,
    );
    expect(() => resolveMapping('activities', ['Activity Type', 'Activity Date'])).toThrow(
      /no column for email or contactId or accountId or accountDomain/,
    );
    expect(() => resolveMapping('accounts', ['Domain'], { Site: 'domain' })).toThrow(
      /names column "Site", which the file does not have/,
    );
    expect(() => resolveMapping('accounts', ['Domain'], { Domain: 'website' })).toThrow(
      /"website", which is not a field of accounts \(fields: domain, name/,
    );
    expect(() => resolveMapping('accounts', ['A', 'B'], { A: 'domain', B: 'domain' })).toThrow(
      /columns "A" and "B" are both mapped to domain/,
    );
    expect(() => resolveMapping('activities', ['x'], { x: 'attributes.y' })).toThrow(MappingError);
    expect(() => resolveMapping('accounts', ['Company Domain Name;Company name'])).toThrow(
      /the header looks ";"-separated: try --delimiter ";"/,
    );
  });
});

describe('mapping flags and files', () => {
  it('splits --map at the last "="', () => {
    expect(parseMapFlags(['Score = Fit=attributes.fit', 'Org=domain'])).toEqual({
      'Score = Fit': 'attributes.fit',
      Org: 'domain',
    });
    expect(() => parseMapFlags(['domain'])).toThrow(/not of the form "Column Header=field"/);
  });

  it('reads a JSON object of header to field', () => {
    expect(parseMappingJson('{"Org": "domain", "Notes": null}', 'm.json')).toEqual({
      Org: 'domain',
      Notes: null,
    });
    expect(() => parseMappingJson('[1]', 'm.json')).toThrow(/m.json must hold a JSON object/);
    expect(() => parseMappingJson('{"Org": 3}', 'm.json')).toThrow(/"Org" must be a string/);
    expect(() => parseMappingJson('{', 'm.json')).toThrow(/m.json is not valid JSON/);
  });
});
