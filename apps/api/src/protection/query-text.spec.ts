import { describe, expect, it } from 'vitest';
import { MAX_QUERY_NESTING, queryTextError } from './query-text';

describe('the query text check, before any parser runs', () => {
  it('refuses brackets nested past the limit, however many, without recursing', () => {
    const deep = (n: number) => `{ a(x: ${'['.repeat(n)}1${']'.repeat(n)}) }`;
    expect(queryTextError(deep(MAX_QUERY_NESTING - 2), 100_000)).toBeNull();
    expect(queryTextError(deep(MAX_QUERY_NESTING), 100_000)?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'query',
    });
    expect(queryTextError(deep(1_000_000), 10_000_000)?.message).toMatch(/nest deeper than 100/);
  });

  it('does not count brackets inside strings, block strings or comments', () => {
    const brackets = '{'.repeat(500);
    expect(queryTextError(`{ a(x: "${brackets}") }`, 1_000)).toBeNull();
    expect(queryTextError(`{ a(x: """${brackets} \\""" ${brackets}""") }`, 1_000)).toBeNull();
    expect(queryTextError(`# ${brackets}\n{ a }`, 1_000)).toBeNull();
    expect(queryTextError(`{ a(x: "\\"${brackets}") }`, 1_000)).toBeNull();
  });

  it('refuses more tokens than the limit, and leaves syntax errors to the parser', () => {
    const fields = Array.from({ length: 50 }, (_, i) => `f${i}`).join(' ');
    expect(queryTextError(`{ ${fields} }`, 52)).toBeNull();
    expect(queryTextError(`{ ${fields} }`, 51)?.extensions).toMatchObject({
      code: 'QUERY_TOO_LARGE',
    });
    expect(queryTextError('{ a(x: "unterminated', 10)).toBeNull();
  });
});
