import { describe, expect, it } from 'vitest';
import { keyFits, keysetSql, NEWEST_FIRST, type KeysetOrder } from './keyset';

const CREATED: KeysetOrder = {
  keys: [
    { sql: 'c.created_at', type: 'timestamptz' },
    { sql: 'c.id', type: 'uuid' },
  ],
  direction: 'DESC',
};
const SCORE: KeysetOrder = {
  keys: [
    { sql: 's.total', type: 'float8' },
    { sql: 's.account_id', type: 'uuid' },
  ],
  direction: 'DESC',
};
const ID = '3d8c25c1-cc39-4b28-b4c0-1738b144ee05';

describe('keyset cursors', () => {
  it('accepts the tuples PostgreSQL gives, at full precision', () => {
    expect(keyFits(CREATED, ['2026-11-20T12:00:00.123456Z', ID])).toBe(true);
    expect(keyFits(CREATED, ['-infinity', ID])).toBe(true);
    expect(keyFits(SCORE, [-1e15, ID])).toBe(true);
    expect(keyFits(NEWEST_FIRST, ['9223372036854775807'])).toBe(true);
  });

  it('refuses forged or mistyped tuples before they reach SQL', () => {
    for (const key of [
      ['2026-11-20T12:00:00.123Z', ID], // milliseconds: not a key PostgreSQL gave
      ['2026-02-30T00:00:00.000000Z', ID],
      ['0000-01-01T00:00:00.000000Z', ID],
      ['yesterday', ID],
      ['2026-11-20T12:00:00.123456Z', 'nope'],
      ['2026-11-20T12:00:00.123456Z'],
      ['2026-11-20T12:00:00.123456Z', ID, 'extra'],
      [null, ID],
      'not a tuple',
    ])
      expect(keyFits(CREATED, key), JSON.stringify(key)).toBe(false);
    expect(keyFits(SCORE, ['12', ID])).toBe(false);
    expect(keyFits(NEWEST_FIRST, ['9223372036854775808'])).toBe(false);
    expect(keyFits(NEWEST_FIRST, [12])).toBe(false);
    expect(keyFits({ keys: [{ sql: 'email', type: 'text' }], direction: 'ASC' }, ['a\u0000'])).toBe(
      false,
    );
  });

  it('casts each cursor value to its key type in the comparison', () => {
    const sql = keysetSql(CREATED, { first: 10, after: ['-infinity', ID] }, 3);
    expect(sql.where).toBe('(c.created_at, c.id) < ($3::timestamptz, $4::uuid)');
    expect(sql.orderBy).toBe('c.created_at DESC, c.id DESC');
    expect(() => keysetSql(CREATED, { first: 10, after: ['nope', ID] }, 1)).toThrow();
  });
});
