import { describe, expect, it } from 'vitest';
import { compilePattern, MAX_PATTERN_LENGTH, PatternError } from './patterns';

describe('MATCHES patterns (RE2)', () => {
  it('matches as the documented patterns expect, ignoring case', () => {
    const student = compilePattern('\\bstudent\\b|\\bintern\\b');
    expect(student.test('PhD Student')).toBe(true);
    expect(student.test('International Sales')).toBe(false);
    expect(compilePattern('^newsletter-\\d{4}').test('Newsletter-2026-11')).toBe(true);
    expect(compilePattern('/docs/(api|integrations)').test('/docs/API/keys')).toBe(true);
    expect(compilePattern('(?P<role>vp|chief)').test('Chief of Staff')).toBe(true);
  });

  it('runs a catastrophic-backtracking pattern in linear time: 10,000 characters give the answer', () => {
    // A backtracking engine takes about 2^n steps here: 2^29 is over a second, 2^10000 never.
    const nested = compilePattern('^(a+)+$');
    expect(nested.test('a'.repeat(10_000) + '!')).toBe(false);
    expect(nested.test('a'.repeat(10_000))).toBe(true);
    expect(compilePattern('(\\w+\\s?)+$').test('word '.repeat(2_000) + '!')).toBe(false);
  });

  it('refuses what RE2 cannot run in linear time, too long or too large a program, with a reason', () => {
    for (const [source, reason] of [
      ['(?=admin)adm', /lookaround|Perl syntax/],
      ['(a)\\1', /backreferences|escape/],
      ['x'.repeat(MAX_PATTERN_LENGTH + 1), /at most 300 characters/],
      ['[a-z]{1,1000}[0-9]{1,1000}', /too complex/],
      ['[a-', /invalid regular expression/],
    ] as const) {
      expect(() => compilePattern(source), source.slice(0, 30)).toThrow(PatternError);
      expect(() => compilePattern(source)).toThrow(reason);
    }
  });
});
