/**
 * Condition evaluation, shared by attribute rules (on a field) and activity `where` conditions
 * (on a property).
 *
 * A value is "missing" when it is null/undefined, a blank string, a non-finite number or a list
 * with no present element. Positive ops (EQ, IN, CONTAINS, MATCHES, GTE, LTE, BETWEEN, EXISTS true)
 * never match a missing value; their negations (NEQ, NOT_IN, EXISTS false) are exactly
 * `!positive`, so they do match it. On a list, a positive op matches when some element does.
 */
import type { ConditionOp, ConditionValue } from './model-definition';
import { compilePattern } from './patterns';

export type ValuePredicate = (actual: unknown) => boolean;

type Scalar = string | number | boolean;

/** Compiles a validated condition into a predicate; done once per model, not per evaluation. */
export function compileCondition(
  op: ConditionOp,
  value: ConditionValue | undefined,
): ValuePredicate {
  switch (op) {
    case 'EQ': {
      const equals = scalarEquals(value as Scalar);
      return (actual) => someScalar(actual, equals);
    }
    case 'NEQ': {
      const equals = scalarEquals(value as Scalar);
      return (actual) => !someScalar(actual, equals);
    }
    case 'IN': {
      const member = memberOf(value as Array<string | number>);
      return (actual) => someScalar(actual, member);
    }
    case 'NOT_IN': {
      const member = memberOf(value as Array<string | number>);
      return (actual) => !someScalar(actual, member);
    }
    case 'CONTAINS': {
      const needle = textKey(value as Scalar);
      const elementEquals = (s: Scalar) => textKey(s) === needle;
      const substring = (s: Scalar) => textKey(s).includes(needle);
      return (actual) =>
        Array.isArray(actual) ? someScalar(actual, elementEquals) : someScalar(actual, substring);
    }
    case 'MATCHES': {
      const pattern = compilePattern(String(value));
      return (actual) =>
        someScalar(actual, (s) => pattern.test(typeof s === 'string' ? s.trim() : String(s)));
    }
    case 'GTE': {
      const bound = value as number;
      return (actual) => someNumber(actual, (n) => n >= bound);
    }
    case 'LTE': {
      const bound = value as number;
      return (actual) => someNumber(actual, (n) => n <= bound);
    }
    case 'BETWEEN': {
      const [lo, hi] = value as [number, number];
      return (actual) => someNumber(actual, (n) => n >= lo && n <= hi);
    }
    case 'EXISTS': {
      const wanted = value !== false;
      return (actual) => isPresent(actual) === wanted;
    }
  }
}

export function isPresent(actual: unknown): boolean {
  if (actual === null || actual === undefined) return false;
  if (Array.isArray(actual)) return actual.some(isPresentScalar);
  if (typeof actual === 'string') return actual.trim() !== '';
  if (typeof actual === 'number') return Number.isFinite(actual);
  return true;
}

function isPresentScalar(value: unknown): value is Scalar {
  switch (typeof value) {
    case 'string':
      return value.trim() !== '';
    case 'number':
      return Number.isFinite(value);
    case 'boolean':
      return true;
    default:
      return false;
  }
}

function someScalar(actual: unknown, test: (s: Scalar) => boolean): boolean {
  if (Array.isArray(actual)) {
    for (const element of actual) {
      if (isPresentScalar(element) && test(element)) return true;
    }
    return false;
  }
  return isPresentScalar(actual) && test(actual);
}

function someNumber(actual: unknown, test: (n: number) => boolean): boolean {
  return someScalar(actual, (s) => {
    const n = numberOf(s);
    return n !== null && test(n);
  });
}

function textKey(s: Scalar): string {
  return typeof s === 'string' ? s.trim().toLowerCase() : String(s);
}

/** Numbers as they are; numeric strings (custom attributes are often strings) as numbers. */
function numberOf(s: Scalar): number | null {
  if (typeof s === 'number') return s;
  if (typeof s === 'string') {
    const n = Number(s.trim());
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function scalarEquals(expected: Scalar): (s: Scalar) => boolean {
  if (typeof expected === 'number') return (s) => numberOf(s) === expected;
  const key = textKey(expected);
  return (s) => textKey(s) === key;
}

function memberOf(list: ReadonlyArray<string | number>): (s: Scalar) => boolean {
  const keys = new Set<string>();
  const numbers = new Set<number>();
  for (const item of list) {
    if (typeof item === 'number') numbers.add(item);
    else keys.add(textKey(item));
  }
  return (s) => {
    if (numbers.size > 0) {
      const n = numberOf(s);
      if (n !== null && numbers.has(n)) return true;
    }
    return keys.has(textKey(s));
  };
}
