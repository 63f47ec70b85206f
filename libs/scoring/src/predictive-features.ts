/**
 * What a predictive model reads of a contact, as of the moment scored: every field and custom
 * attribute the workspace fills, activity counts decayed over several half-lives, recency per
 * activity type, and categories carried by activity properties (channel, campaign, url path).
 *
 * Two rules keep scores steady:
 * - Smooth in time: every number that changes as time passes (decayed counts, days since an
 *   activity, days since a date attribute) changes continuously, so a score never jumps because
 *   an activity aged by an hour. Counts change only when an activity happens.
 * - Independent of order: activities are summed oldest first, whatever order they arrive in, so
 *   the same activities always give the same bits.
 */
import type { FeatureValue } from '@quorum/predictive';
import { DAY_MS } from './decay';
import type { AccountFacts, ActivityFacts, ContactFacts } from './facts';
import { fieldReader } from './fields';
import type {
  ActivityType,
  FieldFeature,
  FeatureSetV2,
  PredictiveFeatureSet,
  PropertyFeature,
} from './model-definition';

/** Prefix of the decayed counts of a version-1 feature set: `engagement.EMAIL_CLICK`. */
export const ENGAGEMENT_FEATURE_PREFIX = 'engagement.';
export const ACTIVITY_FEATURE_PREFIX = 'activity.';
/** Columns of activity properties: `activity.properties.channel=paid search.30d`. */
export const PROPERTY_FEATURE_PREFIX = 'activity.properties.';
/** All activity types together (recency and volume of any activity). */
export const ANY_ACTIVITY = 'ANY';
export const DEFAULT_HALF_LIVES_DAYS: readonly number[] = Object.freeze([7, 30, 90]);
export const PROPERTY_HALF_LIFE_DAYS = 30;

/** How a feature column is learned: a number, or a category (one level per value). */
export type ColumnType = 'number' | 'category';

/** One column of a feature row, and the reason group it is explained in. */
export interface FeatureColumn {
  name: string;
  type: ColumnType;
  /** Changes as time passes without any new activity (must be learned smoothly). */
  timeVarying: boolean;
  /** Reasons add a group's columns together: `contact.seniority`, `activity.EMAIL_CLICK`. */
  group: string;
}

export function isFeatureSetV2(set: PredictiveFeatureSet): set is FeatureSetV2 {
  return (set as FeatureSetV2).version === 2;
}

/** The columns a feature set produces, in a stable order. */
export function featureColumns(set: PredictiveFeatureSet): FeatureColumn[] {
  if (!isFeatureSetV2(set)) {
    return [
      ...set.fields.map((field) => ({
        name: field,
        type: 'category' as ColumnType,
        timeVarying: false,
        group: field,
      })),
      ...set.activityTypes.map((type) => ({
        name: ENGAGEMENT_FEATURE_PREFIX + type,
        type: 'number' as ColumnType,
        timeVarying: true,
        group: ACTIVITY_FEATURE_PREFIX + type,
      })),
    ];
  }
  const columns: FeatureColumn[] = [];
  for (const f of set.fields) {
    if (f.type === 'list') {
      for (const value of f.values ?? []) {
        columns.push({
          name: listColumn(f.path, value),
          type: 'number',
          timeVarying: false,
          group: f.path,
        });
      }
    } else {
      columns.push({
        name: f.path,
        type: f.type === 'number' || f.type === 'date' ? 'number' : 'category',
        timeVarying: f.type === 'date',
        group: f.path,
      });
    }
  }
  for (const type of set.activities.types) {
    const group = ACTIVITY_FEATURE_PREFIX + type;
    for (const h of set.activities.halfLivesDays) {
      columns.push({ name: decayedColumn(type, h), type: 'number', timeVarying: true, group });
    }
    columns.push({ name: `${group}.count`, type: 'number', timeVarying: false, group });
    columns.push({ name: `${group}.daysSince`, type: 'number', timeVarying: true, group });
  }
  for (const p of set.properties) {
    for (const value of p.values) {
      columns.push({
        name: propertyColumn(p.property, value),
        type: 'number',
        timeVarying: true,
        group: PROPERTY_FEATURE_PREFIX + p.property,
      });
    }
  }
  if (set.account) {
    columns.push(
      { name: KNOWN_CONTACTS_COLUMN, type: 'number', timeVarying: false, group: CONTACTS_GROUP },
      { name: ACTIVE_CONTACTS_COLUMN, type: 'number', timeVarying: true, group: CONTACTS_GROUP },
    );
    for (const role of set.account.roles) {
      columns.push({
        name: roleColumn(role),
        type: 'number',
        timeVarying: true,
        group: ROLE_FEATURE_PREFIX + role,
      });
    }
  }
  return columns;
}

/** Contacts of an account with any activity before the moment scored. */
export const CONTACTS_GROUP = 'account.contacts';
export const KNOWN_CONTACTS_COLUMN = 'account.contacts.known';
/** Σ over contacts of 2^(−days since their newest activity / 30): how many are active lately. */
export const ACTIVE_CONTACTS_COLUMN = 'account.contacts.active30d';
export const ROLE_FEATURE_PREFIX = 'role.';
/** Half-life of the role and active-contact features, in days. */
export const ACCOUNT_HALF_LIFE_DAYS = 30;

export function roleColumn(role: string): string {
  return `${ROLE_FEATURE_PREFIX}${role}.${ACCOUNT_HALF_LIFE_DAYS}d`;
}

/** A contact of an account, as an account model reads it. */
export interface AccountContactHistory {
  contactId: string;
  /** How reasons name the contact: its name, or its email. */
  label: string;
  /** Its buying-group roles. */
  roles: readonly string[];
  activities: readonly ActivityFacts[];
}

/** Who made up a reason's figure: contact labels with their share, largest first. */
export type Contributors = ReadonlyMap<string, { label: string; share: number }[]>;

/**
 * An account's feature row as of `now`: its fields, the activities of all its contacts and its
 * own together (activities strictly before `now`), how many contacts are active, and each buying
 * role's decayed activity. `contributors` says, per activity type and role, which contacts made
 * the figure, so reasons can name them.
 */
export function extractAccountFeatures(
  set: FeatureSetV2,
  account: AccountFacts,
  contacts: readonly AccountContactHistory[],
  accountActivities: readonly ActivityFacts[],
  now: Date,
): { row: Record<string, FeatureValue>; contributors: Contributors } {
  const nowMs = now.getTime();
  const row: Record<string, FeatureValue> = {};
  for (const f of set.fields) readField(row, f, NO_CONTACT, account, nowMs);
  const everything = [...accountActivities, ...contacts.flatMap((c) => c.activities)];
  const past = pastActivitiesOldestFirst(everything, nowMs);
  readActivityColumns(row, set, past, nowMs);
  const contributors = new Map<string, { label: string; share: number }[]>();
  const byType = new Map<string, { label: string; value: number }[]>();
  let known = 0;
  let active = 0;
  const roleSums = new Map<string, { label: string; value: number }[]>();
  for (const c of [...contacts].sort((a, b) => (a.contactId < b.contactId ? -1 : 1))) {
    const own = pastActivitiesOldestFirst(c.activities, nowMs);
    if (own.length === 0) continue;
    known++;
    active += decay(nowMs - own[own.length - 1]!.occurredAt.getTime(), ACCOUNT_HALF_LIFE_DAYS);
    let total = 0;
    const perType = new Map<string, number>();
    for (const a of own) {
      const d = decay(nowMs - a.occurredAt.getTime(), ACCOUNT_HALF_LIFE_DAYS);
      total += d;
      perType.set(a.type, (perType.get(a.type) ?? 0) + d);
    }
    for (const [type, value] of perType) {
      const list = byType.get(type) ?? [];
      list.push({ label: c.label, value });
      byType.set(type, list);
    }
    for (const role of c.roles) {
      const list = roleSums.get(role) ?? [];
      list.push({ label: c.label, value: total });
      roleSums.set(role, list);
    }
  }
  if (set.account) {
    row[KNOWN_CONTACTS_COLUMN] = known;
    row[ACTIVE_CONTACTS_COLUMN] = active;
    for (const role of set.account.roles) {
      const list = roleSums.get(role) ?? [];
      row[roleColumn(role)] = list.reduce((s, x) => s + x.value, 0);
      contributors.set(ROLE_FEATURE_PREFIX + role, shares(list));
    }
  }
  const all: { label: string; value: number }[] = [];
  for (const [type, list] of byType) {
    contributors.set(ACTIVITY_FEATURE_PREFIX + type, shares(list));
    all.push(...list);
  }
  contributors.set(ACTIVITY_FEATURE_PREFIX + ANY_ACTIVITY, shares(merge(all)));
  return { row, contributors };
}

const NO_CONTACT: ContactFacts = Object.freeze({ email: '' });

function merge(list: readonly { label: string; value: number }[]) {
  const byLabel = new Map<string, number>();
  for (const x of list) byLabel.set(x.label, (byLabel.get(x.label) ?? 0) + x.value);
  return [...byLabel].map(([label, value]) => ({ label, value }));
}

function shares(list: readonly { label: string; value: number }[]) {
  const total = list.reduce((s, x) => s + x.value, 0);
  return list
    .filter((x) => x.value > 0)
    .map((x) => ({ label: x.label, share: total > 0 ? x.value / total : 0 }))
    .sort((a, b) => b.share - a.share || (a.label < b.label ? -1 : 1));
}

export function listColumn(path: string, value: string): string {
  return `${path}=${value}`;
}

export function decayedColumn(type: string, halfLifeDays: number): string {
  return `${ACTIVITY_FEATURE_PREFIX}${type}.${halfLifeDays}d`;
}

export function propertyColumn(property: string, value: string): string {
  return `${PROPERTY_FEATURE_PREFIX}${property}=${value}.${PROPERTY_HALF_LIFE_DAYS}d`;
}

/**
 * A contact's feature row as of `now`, from the activities strictly before `now` only (training
 * builds its rows with this same function at each observation's start, so nothing after the
 * as-of moment can leak in).
 */
export function extractFeatures(
  set: PredictiveFeatureSet,
  contact: ContactFacts,
  account: AccountFacts | null,
  activities: readonly ActivityFacts[],
  now: Date,
): Record<string, FeatureValue> {
  const nowMs = now.getTime();
  const past = pastActivitiesOldestFirst(activities, nowMs);
  if (!isFeatureSetV2(set)) return legacyRow(set, contact, account, past, nowMs);
  const row: Record<string, FeatureValue> = {};
  for (const f of set.fields) readField(row, f, contact, account, nowMs);
  readActivityColumns(row, set, past, nowMs);
  return row;
}

/** Activities strictly before `nowMs`, oldest first (ties keep a stable order by id). */
function pastActivitiesOldestFirst(
  activities: readonly ActivityFacts[],
  nowMs: number,
): ActivityFacts[] {
  return activities
    .filter((a) => a.occurredAt.getTime() < nowMs)
    .sort(
      (a, b) =>
        a.occurredAt.getTime() - b.occurredAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
}

function decay(ageMs: number, halfLifeDays: number): number {
  return 2 ** (-ageMs / DAY_MS / halfLifeDays);
}

/** Version 1: the chosen fields as they are, and one decayed count per activity type. */
function legacyRow(
  set: Exclude<PredictiveFeatureSet, FeatureSetV2>,
  contact: ContactFacts,
  account: AccountFacts | null,
  past: readonly ActivityFacts[],
  nowMs: number,
): Record<string, FeatureValue> {
  const row: Record<string, FeatureValue> = {};
  for (const field of set.fields) {
    const value = fieldReader(field)?.(contact, account);
    row[field] =
      typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? value
        : null;
  }
  for (const type of set.activityTypes) row[ENGAGEMENT_FEATURE_PREFIX + type] = 0;
  for (const a of past) {
    const key = ENGAGEMENT_FEATURE_PREFIX + a.type;
    if (key in row) {
      row[key] = (row[key] as number) + decay(nowMs - a.occurredAt.getTime(), set.halfLifeDays);
    }
  }
  return row;
}

function readField(
  row: Record<string, FeatureValue>,
  f: FieldFeature,
  contact: ContactFacts,
  account: AccountFacts | null,
  nowMs: number,
): void {
  const raw = fieldReader(f.path)?.(contact, account);
  switch (f.type) {
    case 'number':
      row[f.path] = numberValue(raw);
      return;
    case 'category':
      row[f.path] = categoryValue(raw);
      return;
    case 'boolean':
      row[f.path] = booleanValue(raw);
      return;
    case 'date': {
      const ms = dateValue(raw);
      row[f.path] = ms === null ? null : (nowMs - ms) / DAY_MS;
      return;
    }
    case 'list': {
      const items = listValue(raw);
      for (const value of f.values ?? []) {
        row[listColumn(f.path, value)] = items === null ? null : items.has(value) ? 1 : 0;
      }
      return;
    }
  }
}

/** Column names of a set's activity and property features, computed once per set. */
interface ActivityLayout {
  typeIndex: Map<string, number>;
  anyIndex: number;
  decayed: string[][];
  counts: string[];
  daysSince: string[];
  properties: { property: string; urlPath: boolean; slots: Map<string, number>; names: string[] }[];
}

const layouts = new WeakMap<object, ActivityLayout>();

function layoutOf(
  types: readonly (ActivityType | typeof ANY_ACTIVITY)[],
  halfLives: readonly number[],
  properties: readonly PropertyFeature[],
  key: object,
): ActivityLayout {
  let layout = layouts.get(key);
  if (!layout) {
    layout = {
      typeIndex: new Map(types.map((t, i) => [t, i])),
      anyIndex: types.indexOf(ANY_ACTIVITY),
      decayed: types.map((t) => halfLives.map((h) => decayedColumn(t, h))),
      counts: types.map((t) => `${ACTIVITY_FEATURE_PREFIX}${t}.count`),
      daysSince: types.map((t) => `${ACTIVITY_FEATURE_PREFIX}${t}.daysSince`),
      properties: properties.map((p) => ({
        property: p.property,
        urlPath: p.urlPath === true,
        slots: new Map(p.values.map((v, i) => [v, i])),
        names: p.values.map((v) => propertyColumn(p.property, v)),
      })),
    };
    layouts.set(key, layout);
  }
  return layout;
}

/**
 * Per activity type (and ANY): decayed counts for each half-life, the count and the days since
 * the newest; per property value: a count decayed over 30 days. One pass, oldest first, each
 * activity's decays computed once, so the sums are the same bits whatever order activities
 * arrive in.
 */
function readActivityColumns(
  row: Record<string, FeatureValue>,
  set: FeatureSetV2,
  past: readonly ActivityFacts[],
  nowMs: number,
): void {
  const types = set.activities.types;
  const lives = set.activities.halfLivesDays;
  const layout = layoutOf(types, lives, set.properties, set);
  const sums = new Float64Array(types.length * lives.length);
  const counts = new Array<number>(types.length).fill(0);
  const newest = new Array<number | null>(types.length).fill(null);
  const propertySums = layout.properties.map((p) => new Float64Array(p.names.length));
  const decays = new Float64Array(lives.length);
  for (const a of past) {
    const at = a.occurredAt.getTime();
    const age = nowMs - at;
    for (let k = 0; k < lives.length; k++) decays[k] = decay(age, lives[k]!);
    const own = layout.typeIndex.get(a.type) ?? -1;
    for (let pass = 0; pass < 2; pass++) {
      const t = pass === 0 ? own : layout.anyIndex;
      if (t < 0) continue;
      counts[t]! += 1;
      newest[t] = at;
      for (let k = 0; k < lives.length; k++) sums[t * lives.length + k]! += decays[k]!;
    }
    if (layout.properties.length === 0) continue;
    const property30 = decay(age, PROPERTY_HALF_LIFE_DAYS);
    layout.properties.forEach((p, i) => {
      const value = propertyCategory(a.properties, p.property, p.urlPath);
      const slot = value === null ? undefined : p.slots.get(value);
      if (slot !== undefined) propertySums[i]![slot]! += property30;
    });
  }
  for (let t = 0; t < types.length; t++) {
    for (let k = 0; k < lives.length; k++)
      row[layout.decayed[t]![k]!] = sums[t * lives.length + k]!;
    row[layout.counts[t]!] = counts[t]!;
    const last = newest[t]!;
    row[layout.daysSince[t]!] = last === null ? null : (nowMs - last) / DAY_MS;
  }
  layout.properties.forEach((p, i) => {
    p.names.forEach((name, slot) => (row[name] = propertySums[i]![slot]!));
  });
}

/** A number, a numeric string, or a boolean (1 / 0); otherwise missing. */
export function numberValue(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  if (typeof raw === 'string' && raw.trim() !== '') {
    const n = Number(raw.trim().replace(/,/g, ''));
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

const MAX_CATEGORY_LENGTH = 100;

/** Text, a number or a boolean as a level name (trimmed, at most 100 characters); else missing. */
export function categoryValue(raw: unknown): string | null {
  if (typeof raw === 'string') {
    const s = raw.trim();
    return s === '' ? null : s.slice(0, MAX_CATEGORY_LENGTH);
  }
  if (typeof raw === 'number') return Number.isFinite(raw) ? String(raw) : null;
  if (typeof raw === 'boolean') return raw ? 'true' : 'false';
  return null;
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0']);

/** `true` / `false` from booleans, 1 / 0 and yes/no words; else missing. */
export function booleanValue(raw: unknown): 'true' | 'false' | null {
  if (typeof raw === 'boolean') return raw ? 'true' : 'false';
  if (typeof raw === 'number') return raw === 1 ? 'true' : raw === 0 ? 'false' : null;
  if (typeof raw === 'string') {
    const s = raw.trim().toLowerCase();
    if (TRUE_WORDS.has(s)) return 'true';
    if (FALSE_WORDS.has(s)) return 'false';
  }
  return null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch ms of an ISO 8601 date or date-time string; else null. */
export function dateValue(raw: unknown): number | null {
  if (typeof raw !== 'string' || !ISO_DATE.test(raw.trim())) return null;
  const ms = Date.parse(raw.trim());
  return Number.isFinite(ms) ? ms : null;
}

/** The lower-cased items of a list (an array, or text separated by `;` or `,`); else null. */
export function listValue(raw: unknown): Set<string> | null {
  let items: unknown[];
  if (Array.isArray(raw)) items = raw;
  else if (typeof raw === 'string' && raw.trim() !== '') items = raw.split(/[;,]/);
  else return null;
  const out = new Set<string>();
  for (const item of items) {
    if (typeof item !== 'string' && typeof item !== 'number') continue;
    const s = String(item).trim().toLowerCase();
    if (s !== '') out.add(s.slice(0, MAX_CATEGORY_LENGTH));
  }
  return out;
}

/**
 * The category an activity's property carries: its text, lower-cased; for a url, the first
 * segment of its path (`https://x.io/pricing/teams?a=1` → `/pricing`).
 */
export function propertyCategory(
  properties: Record<string, unknown> | null | undefined,
  property: string,
  urlPath: boolean,
): string | null {
  if (!properties || !Object.hasOwn(properties, property)) return null;
  const raw = properties[property];
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') return null;
  const text = String(raw).trim().toLowerCase();
  if (text === '') return null;
  return urlPath ? urlPathCategory(text) : text.slice(0, MAX_CATEGORY_LENGTH);
}

export function urlPathCategory(url: string): string {
  let path = url;
  const scheme = url.indexOf('://');
  if (scheme >= 0) {
    const slash = url.indexOf('/', scheme + 3);
    path = slash < 0 ? '/' : url.slice(slash);
  }
  path = path.split(/[?#]/)[0] ?? '/';
  const first = path.split('/').find((segment) => segment !== '');
  return first === undefined ? '/' : `/${first.slice(0, MAX_CATEGORY_LENGTH)}`;
}
