/**
 * Chooses what a predictive model learns from, out of everything a workspace has: every contact
 * and account field and custom attribute that enough contacts fill (typed from their values),
 * every activity type enough contacts did, and activity properties that carry a category. Caps
 * keep the model small; `include` / `exclude` patterns (`*` matches anything) override.
 */
import type { AccountFacts, ActivityFacts, ContactFacts } from './facts';
import { FIELDS, fieldReader } from './fields';
import type { ActivityType, FeatureSetV2, FieldFeature, PropertyFeature } from './model-definition';
import {
  ANY_ACTIVITY,
  booleanValue,
  categoryValue,
  dateValue,
  DEFAULT_HALF_LIVES_DAYS,
  listValue,
  numberValue,
  propertyCategory,
} from './predictive-features';

/** One contact as training sees it. */
export interface DiscoverySample {
  contact: ContactFacts;
  account: AccountFacts | null;
  activities: readonly ActivityFacts[];
}

export interface FeatureSelection {
  /** Patterns of feature paths to keep (all when empty or absent). */
  include?: readonly string[];
  /** Patterns of feature paths to leave out. */
  exclude?: readonly string[];
}

export interface SkippedFeature {
  path: string;
  reason: string;
}

export interface FeatureDiscovery {
  set: FeatureSetV2;
  /** Every candidate left out, and why. */
  skipped: SkippedFeature[];
}

export const MAX_ATTRIBUTE_FIELDS = 100;
export const MAX_LIST_VALUES = 20;
export const MAX_PROPERTIES = 10;
export const MAX_PROPERTY_VALUES = 20;
/** Property names whose values are urls, read as their first path segment. */
const URL_PROPERTIES = new Set([
  'url',
  'page',
  'path',
  'href',
  'pageurl',
  'page_url',
  'landingpage',
]);
/** Known fields that identify rather than describe. */
const IDENTIFYING_FIELDS = new Set(['account.domain']);

/**
 * A feature path's pattern: `*` matches any run of characters. Matched by dynamic programming in
 * O(path × pattern), whatever the pattern (a regular expression could backtrack).
 */
export function matchesPattern(path: string, pattern: string): boolean {
  let row = new Array<boolean>(path.length + 1).fill(false);
  row[0] = true;
  for (const ch of pattern) {
    const next = new Array<boolean>(path.length + 1).fill(false);
    if (ch === '*') {
      let any = false;
      for (let i = 0; i <= path.length; i++) {
        any = any || row[i]!;
        next[i] = any;
      }
    } else {
      for (let i = 1; i <= path.length; i++) next[i] = row[i - 1]! && path[i - 1] === ch;
    }
    row = next;
  }
  return row[path.length]!;
}

function selected(path: string, selection: FeatureSelection): string | null {
  const include = selection.include ?? [];
  if (include.length > 0 && !include.some((p) => matchesPattern(path, p))) {
    return 'not matched by features.include';
  }
  if ((selection.exclude ?? []).some((p) => matchesPattern(path, p))) {
    return 'matched by features.exclude';
  }
  return null;
}

/** Fewest contacts (or activities) that must carry something for it to be learned from. */
function enough(total: number, share: number): number {
  return Math.max(10, Math.ceil(share * total));
}

export function discoverFeatures(
  samples: readonly DiscoverySample[],
  selection: FeatureSelection = {},
): FeatureDiscovery {
  const skipped: SkippedFeature[] = [];
  const fields: FieldFeature[] = [];
  for (const path of candidateFields(samples)) {
    const why = selected(path, selection);
    if (why) {
      skipped.push({ path, reason: why });
      continue;
    }
    const outcome = typeField(path, samples);
    if ('reason' in outcome) skipped.push({ path, reason: outcome.reason });
    else fields.push(outcome);
  }
  const attributes = fields.filter((f) => f.path.includes('.attributes.'));
  if (attributes.length > MAX_ATTRIBUTE_FIELDS) {
    for (const f of attributes.slice(MAX_ATTRIBUTE_FIELDS)) {
      skipped.push({
        path: f.path,
        reason: `beyond the ${MAX_ATTRIBUTE_FIELDS} most filled attributes`,
      });
    }
    const kept = new Set(attributes.slice(0, MAX_ATTRIBUTE_FIELDS));
    fields.splice(
      0,
      fields.length,
      ...fields.filter((f) => !f.path.includes('.attributes.') || kept.has(f)),
    );
  }
  return {
    set: {
      version: 2,
      fields,
      activities: {
        types: activityTypes(samples, selection, skipped),
        halfLivesDays: [...DEFAULT_HALF_LIVES_DAYS],
      },
      properties: properties(samples, selection, skipped),
    },
    skipped,
  };
}

/** Known fields, then custom attributes by how many contacts fill them (most first). */
function candidateFields(samples: readonly DiscoverySample[]): string[] {
  const counts = new Map<string, number>();
  for (const s of samples) {
    const seen = new Set<string>();
    for (const [prefix, record] of [
      ['contact.attributes.', s.contact.attributes],
      ['account.attributes.', s.account?.attributes],
    ] as const) {
      if (!record || typeof record !== 'object') continue;
      for (const key of Object.keys(record)) {
        if (key.trim() === '' || key.length > 100) continue;
        seen.add(prefix + key);
      }
    }
    for (const path of seen) counts.set(path, (counts.get(path) ?? 0) + 1);
  }
  const attributes = [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([path]) => path);
  return [...FIELDS.map((f) => f.field), ...attributes];
}

function typeField(
  path: string,
  samples: readonly DiscoverySample[],
): FieldFeature | { reason: string } {
  if (IDENTIFYING_FIELDS.has(path))
    return { reason: 'identifies an account rather than describing it' };
  const read = fieldReader(path)!;
  const values: unknown[] = [];
  for (const s of samples) {
    const v = read(s.contact, s.account);
    if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    values.push(v);
  }
  const needed = enough(samples.length, 0.01);
  if (values.length < needed) {
    return { reason: `filled for ${values.length} contacts; ${needed} needed` };
  }
  const share = (test: (v: unknown) => boolean) => values.filter(test).length / values.length;
  if (values.some(Array.isArray) || path === 'account.technologies') {
    const counts = new Map<string, number>();
    for (const v of values)
      for (const item of listValue(v) ?? []) counts.set(item, (counts.get(item) ?? 0) + 1);
    const kept = [...counts]
      .filter(([, n]) => n >= needed)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, MAX_LIST_VALUES)
      .map(([value]) => value);
    if (kept.length === 0) return { reason: `no list value is carried by ${needed} contacts` };
    return { path, type: 'list', values: kept };
  }
  if (
    values.every((v) => typeof v === 'boolean') ||
    share((v) => booleanValue(v) !== null && typeof v !== 'number') === 1
  ) {
    if (new Set(values.map(booleanValue)).size < 2)
      return { reason: 'the same value for every contact' };
    return { path, type: 'boolean' };
  }
  if (share((v) => numberValue(v) !== null && typeof v !== 'boolean') >= 0.95) {
    if (new Set(values.map(numberValue)).size < 2)
      return { reason: 'the same value for every contact' };
    return { path, type: 'number' };
  }
  if (share((v) => dateValue(v) !== null) >= 0.95) return { path, type: 'date' };
  const levels = new Map<string, number>();
  for (const v of values) {
    const level = categoryValue(v);
    if (level !== null) levels.set(level, (levels.get(level) ?? 0) + 1);
  }
  if (levels.size < 2) return { reason: 'the same value for every contact' };
  if (levels.size > 50 && levels.size > 0.5 * values.length) {
    return {
      reason: `${levels.size} different values for ${values.length} contacts: an id or free text`,
    };
  }
  return { path, type: 'category' };
}

function activityTypes(
  samples: readonly DiscoverySample[],
  selection: FeatureSelection,
  skipped: SkippedFeature[],
): (ActivityType | typeof ANY_ACTIVITY)[] {
  const contactsWith = new Map<string, number>();
  let any = 0;
  for (const s of samples) {
    const types = new Set(s.activities.map((a) => a.type));
    if (types.size > 0) any++;
    for (const t of types) contactsWith.set(t, (contactsWith.get(t) ?? 0) + 1);
  }
  const needed = enough(samples.length, 0.01);
  const out: (ActivityType | typeof ANY_ACTIVITY)[] = [];
  const consider = (type: ActivityType | typeof ANY_ACTIVITY, n: number) => {
    const path = `activity.${type}`;
    const why = selected(path, selection);
    if (why) skipped.push({ path, reason: why });
    else if (n < needed) skipped.push({ path, reason: `done by ${n} contacts; ${needed} needed` });
    else out.push(type);
  };
  consider(ANY_ACTIVITY, any);
  for (const [type, n] of [...contactsWith].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    consider(type as ActivityType, n);
  }
  return out;
}

function properties(
  samples: readonly DiscoverySample[],
  selection: FeatureSelection,
  skipped: SkippedFeature[],
): PropertyFeature[] {
  const names = new Map<string, number>();
  let activities = 0;
  for (const s of samples) {
    for (const a of s.activities) {
      activities++;
      for (const key of Object.keys(a.properties ?? {})) {
        if (key.trim() !== '' && key.length <= 100) names.set(key, (names.get(key) ?? 0) + 1);
      }
    }
  }
  const needed = enough(activities, 0.005);
  const out: PropertyFeature[] = [];
  const ordered = [...names].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  for (const [property, carried] of ordered) {
    const path = `activity.properties.${property}`;
    const why = selected(path, selection);
    if (why) {
      skipped.push({ path, reason: why });
      continue;
    }
    if (carried < needed) {
      skipped.push({ path, reason: `carried by ${carried} activities; ${needed} needed` });
      continue;
    }
    const urlPath = URL_PROPERTIES.has(property.toLowerCase());
    const counts = new Map<string, number>();
    let valued = 0;
    for (const s of samples) {
      for (const a of s.activities) {
        const value = propertyCategory(a.properties, property, urlPath);
        if (value === null) continue;
        valued++;
        counts.set(value, (counts.get(value) ?? 0) + 1);
      }
    }
    const kept = [...counts]
      .filter(([, n]) => n >= needed)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, MAX_PROPERTY_VALUES);
    const covered = kept.reduce((s, [, n]) => s + n, 0);
    if (kept.length < 2 || covered < 0.5 * valued) {
      skipped.push({
        path,
        reason: `does not carry a category: ${counts.size} different values, the ${kept.length} frequent ones cover ${Math.round((100 * covered) / Math.max(1, valued))}%`,
      });
      continue;
    }
    if (out.length >= MAX_PROPERTIES) {
      skipped.push({ path, reason: `beyond the ${MAX_PROPERTIES} most carried properties` });
      continue;
    }
    out.push({ property, ...(urlPath ? { urlPath: true } : {}), values: kept.map(([v]) => v) });
  }
  return out;
}
