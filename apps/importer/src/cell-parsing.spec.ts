import { describe, expect, it } from 'vitest';
import {
  parseActivityType,
  parseAmount,
  parseBoolean,
  parseCount,
  parseDateTime,
} from './cell-parsing';

describe('cell parsing', () => {
  it('reads counts with thousands separators and refuses ranges and negatives', () => {
    expect(parseCount('1,200')).toBe(1200);
    expect(parseCount('12 000')).toBe(12000);
    expect(parseCount('85.0')).toBe(85);
    expect(parseCount('51-200')).toBeNull();
    expect(parseCount('-3')).toBeNull();
    expect(parseCount('3000000000')).toBeNull();
  });

  it('reads amounts with currency and k/M/B suffixes', () => {
    expect(parseAmount('$25,000,000')).toBe(25_000_000);
    expect(parseAmount('€ 3.5M')).toBe(3_500_000);
    expect(parseAmount('2k')).toBe(2000);
    expect(parseAmount('1200.50 USD')).toBe(1200.5);
    expect(parseAmount('about 3M')).toBeNull();
    expect(parseAmount('1.2.3')).toBeNull();
  });

  it('reads yes/no flags', () => {
    expect(parseBoolean('Yes')).toBe(true);
    expect(parseBoolean('FALSE')).toBe(false);
    expect(parseBoolean('maybe')).toBeNull();
  });

  it('reads date-times as exports write them, taking no zone as UTC', () => {
    const iso = (v: string) => parseDateTime(v)?.toISOString() ?? null;
    expect(iso('2026-11-02 10:00:00')).toBe('2026-11-02T10:00:00.000Z');
    expect(iso('2026-11-02')).toBe('2026-11-02T00:00:00.000Z');
    expect(iso('2026-11-02T10:00:00+02:00')).toBe('2026-11-02T08:00:00.000Z');
    expect(iso('2026-11-02T10:00:00.250Z')).toBe('2026-11-02T10:00:00.250Z');
    expect(iso('1762300800')).toBe('2025-11-05T00:00:00.000Z');
    expect(iso('1762300800123')).toBe('2025-11-05T00:00:00.123Z');
    expect(iso('11/04/2026 2:15 PM')).toBe('2026-11-04T14:15:00.000Z');
    expect(iso('11/04/2026 12:05 am')).toBe('2026-11-04T00:05:00.000Z');
    expect(iso('1/4/2026')).toBe('2026-01-04T00:00:00.000Z');
    expect(iso('2026-02-30')).toBeNull();
    expect(iso('13/04/2026')).toBeNull();
    expect(iso('yesterday')).toBeNull();
    expect(iso('11/04/2026 13:00 PM')).toBeNull();
  });

  it('reads activity types in the spellings CRMs use', () => {
    expect(parseActivityType('Page View')).toBe('PAGE_VIEW');
    expect(parseActivityType('email-opened')).toBe('EMAIL_OPEN');
    expect(parseActivityType(' Form Submission ')).toBe('FORM_SUBMIT');
    expect(parseActivityType('DEMO_REQUEST')).toBe('DEMO_REQUEST');
    expect(parseActivityType('Phone call')).toBeNull();
  });
});
