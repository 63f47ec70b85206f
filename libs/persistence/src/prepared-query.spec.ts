import { describe, expect, it } from 'vitest';
import { inlineQuery, preparedQuery, sqlLiteral, UninlinableValueError } from './prepared-query';

const ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const OTHER = '9b2d5c1e-0000-4000-8000-000000000001';

describe('sqlLiteral', () => {
  it('inlines ids, enum tokens, numbers, booleans, dates, null and arrays of ids and integers', () => {
    expect(sqlLiteral(ID)).toBe(`'${ID}'`);
    expect(sqlLiteral('CONTACT')).toBe(`'CONTACT'`);
    expect(sqlLiteral(-2.5)).toBe('-2.5');
    expect(sqlLiteral(true)).toBe('TRUE');
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral(new Date('2026-11-30T10:00:00Z'))).toBe(
      `'2026-11-30T10:00:00.000Z'::timestamptz`,
    );
    expect(sqlLiteral([ID, OTHER])).toBe(`'{${ID},${OTHER}}'`);
    expect(sqlLiteral([])).toBe(`'{}'`);
    expect(sqlLiteral([0, 3])).toBe(`'{0,3}'`);
  });

  it.each([
    ["o'brien"],
    ['CONTACT; DROP TABLE x'],
    ['1 OR 1=1'],
    [''],
    [[ID, "x'"]],
    [[1.5, 2]],
    [[ID, null]],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [new Date('nope')],
    [{ id: ID }],
  ])('refuses %s rather than escaping it', (value) => {
    expect(() => sqlLiteral(value)).toThrow(UninlinableValueError);
  });
});

describe('inlineQuery', () => {
  it('replaces every placeholder, $10 as well as $1, with its literal', () => {
    const values = [ID, ...Array.from({ length: 9 }, (_, i) => i + 2)];
    const sql = inlineQuery(
      preparedQuery('SELECT $1::uuid, $2, $10 WHERE x = ANY($3)', values, () => null),
    );
    expect(sql).toBe(`SELECT '${ID}'::uuid, 2, 10 WHERE x = ANY(3)`);
  });

  it('throws when a placeholder has no value', () => {
    expect(() => inlineQuery(preparedQuery('SELECT $1, $2', [ID], () => null))).toThrow(
      '$2 has no value',
    );
  });
});
