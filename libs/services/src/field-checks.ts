import type { IssueCollector } from './errors';

export const MAX_BULK_ITEMS = 1000;

export function checkBulkSize(
  issues: IssueCollector,
  path: string,
  items: readonly unknown[],
): void {
  if (items.length > MAX_BULK_ITEMS) {
    issues.add(path, `at most ${MAX_BULK_ITEMS} items per call (got ${items.length})`);
  }
}

/** Trims; empty becomes null; longer than `max` is an issue. undefined stays undefined. */
export function optionalText(
  issues: IssueCollector,
  path: string,
  value: string | null | undefined,
  max: number,
): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const trimmed = value.trim();
  if (trimmed.length > max) {
    issues.add(path, `must be at most ${max} characters (got ${trimmed.length})`);
  }
  if (!isStorableText(trimmed))
    issues.add(path, 'must be valid Unicode text without NUL characters');
  return trimmed === '' ? null : trimmed;
}

export function optionalCount(
  issues: IssueCollector,
  path: string,
  value: number | null | undefined,
  { integer }: { integer: boolean },
): number | null | undefined {
  if (value === undefined || value === null) return value;
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    issues.add(path, `must be a non-negative ${integer ? 'integer' : 'number'} (got ${value})`);
  } else if (integer && value > 2_147_483_647) {
    issues.add(path, `must be at most 2147483647 (got ${value})`);
  }
  return value;
}

const MAX_ATTRIBUTES_BYTES = 16_384;

export function optionalAttributes(
  issues: IssueCollector,
  path: string,
  value: unknown,
): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return value === null ? {} : undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    issues.add(path, 'must be a JSON object');
    return undefined;
  }
  const json = JSON.stringify(value);
  if (json.length > MAX_ATTRIBUTES_BYTES) {
    issues.add(path, `must be at most ${MAX_ATTRIBUTES_BYTES} bytes of JSON (got ${json.length})`);
  }
  if (!isStorableJson(value))
    issues.add(path, 'must hold valid Unicode text without NUL characters');
  return value as Record<string, unknown>;
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** PostgreSQL refuses NUL and lone UTF-16 surrogates in text and jsonb. */
export function isStorableText(value: string): boolean {
  return !LONE_SURROGATE.test(value) && !value.includes('\u0000');
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isStorableJson(value: unknown): boolean {
  if (typeof value === 'string') return isStorableText(value);
  if (Array.isArray(value)) return value.every(isStorableJson);
  if (value && typeof value === 'object') {
    return Object.entries(value).every(
      ([key, child]) => isStorableText(key) && isStorableJson(child),
    );
  }
  return true;
}
