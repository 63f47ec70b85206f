/**
 * A predictive score's reasons as people read them: one reason per thing about the contact (its
 * seniority; its email clicks, all windows together), the fields it has no value for in one
 * reason, at most eight named reasons and the rest as "Other factors", so the sum stays exact.
 */
import type { FeatureValue } from '@quorum/predictive';
import type { ReasonCategory, ScoreReason } from './lead-score';
import { isActivityType } from './model-definition';
import {
  ACTIVE_CONTACTS_COLUMN,
  ACTIVITY_FEATURE_PREFIX,
  ANY_ACTIVITY,
  CONTACTS_GROUP,
  ENGAGEMENT_FEATURE_PREFIX,
  KNOWN_CONTACTS_COLUMN,
  PROPERTY_FEATURE_PREFIX,
  ROLE_FEATURE_PREFIX,
  type Contributors,
  type FeatureColumn,
} from './predictive-features';

/** Rule ids of a predictive model's reasons: `predictive.<group>`. */
export const PREDICTIVE_RULE_ID_PREFIX = 'predictive.';
export const PREDICTIVE_BASELINE_RULE_ID = 'predictive.baseline';
export const PREDICTIVE_MISSING_RULE_ID = 'predictive.missing';
export const PREDICTIVE_OTHER_RULE_ID = 'predictive.other';
/** Rule ids of a hybrid's own reasons. */
export const HYBRID_RULE_ID_PREFIX = 'hybrid.';
export const HYBRID_RULES_CAP_RULE_ID = 'hybrid.rules.cap';
/** Named reasons at most, besides the baseline and "Other factors". */
export const MAX_NAMED_REASONS = 8;
/** Something the contact does not have is named only when it moved the score this much. */
export const ABSENT_MATERIAL_POINTS = 3;

/** A reason before rounding. */
export interface ReasonPart {
  ruleId: string;
  label: string;
  category: ReasonCategory;
  kind: ScoreReason['kind'];
  activityCount: number;
  /** Points, unrounded. */
  value: number;
}

/** What a reason group is about; decided once per model, not per contact. */
type GroupKind = 'role' | 'contacts' | 'property' | 'activity' | 'single' | 'list';

interface Grouping {
  groups: string[];
  kinds: GroupKind[];
  /** For each name, the index of its group in `groups`. */
  groupOfName: Int32Array;
  /** For each group, its names. */
  columnsOf: string[][];
  /** Groups that, with no value, fold into the one "Not on record" reason. */
  foldsWhenAbsent: boolean[];
}

/** A group's figures for one contact; its label is built only if it is named. */
interface GroupPart {
  /** Index in the grouping, or -1 for "Not on record". */
  index: number;
  group: string;
  points: number;
  absent: boolean;
  activityCount: number;
}

interface ColumnIndex {
  groupOf: Map<string, string>;
  byName: Map<string, FeatureColumn>;
}

const indexes = new WeakMap<readonly FeatureColumn[], ColumnIndex>();
const groupings = new WeakMap<readonly string[], Grouping>();

function indexOf(columns: readonly FeatureColumn[]): ColumnIndex {
  let index = indexes.get(columns);
  if (!index) {
    index = {
      groupOf: new Map(columns.map((c) => [c.name, c.group])),
      byName: new Map(columns.map((c) => [c.name, c])),
    };
    indexes.set(columns, index);
  }
  return index;
}

/** The reason groups of a model's explained names (a name not among the columns is its own). */
function groupsOf(names: readonly string[], columns: readonly FeatureColumn[]): Grouping {
  let grouping = groupings.get(names);
  if (!grouping) {
    const { groupOf } = indexOf(columns);
    const index = new Map<string, number>();
    const groups: string[] = [];
    const columnsOf: string[][] = [];
    const groupOfName = Int32Array.from(names, (name) => {
      const group = groupOf.get(name) ?? name;
      let g = index.get(group);
      if (g === undefined) {
        g = groups.length;
        index.set(group, g);
        groups.push(group);
        columnsOf.push([]);
      }
      columnsOf[g]!.push(name);
      return g;
    });
    const kinds = groups.map((group, g) => kindOf(group, columnsOf[g]!));
    const foldsWhenAbsent = groups.map(
      (group, g) =>
        kinds[g] !== 'role' &&
        kinds[g] !== 'contacts' &&
        kinds[g] !== 'activity' &&
        !group.startsWith(ACTIVITY_FEATURE_PREFIX),
    );
    grouping = { groups, kinds, groupOfName, columnsOf, foldsWhenAbsent };
    groupings.set(names, grouping);
  }
  return grouping;
}

function kindOf(group: string, columns: readonly string[]): GroupKind {
  if (group.startsWith(ROLE_FEATURE_PREFIX)) return 'role';
  if (group === CONTACTS_GROUP) return 'contacts';
  if (group.startsWith(PROPERTY_FEATURE_PREFIX)) return 'property';
  if (group.startsWith(ACTIVITY_FEATURE_PREFIX)) {
    const name = group.slice(ACTIVITY_FEATURE_PREFIX.length);
    if (name === ANY_ACTIVITY || isActivityType(name)) return 'activity';
  }
  return columns.length === 1 && columns[0] === group ? 'single' : 'list';
}

/**
 * Groups column points into readable reasons. `activityCounts` are the contact's activities per
 * type before the moment scored.
 */
export function readableReasons(
  /** The columns (or interactions) the model explained. */
  names: readonly string[],
  /** Their points, in the order of `names`. */
  points: ArrayLike<number>,
  columns: readonly FeatureColumn[],
  row: Readonly<Record<string, FeatureValue>>,
  activityCounts: Readonly<Record<string, number>>,
  /** For an account: which contacts made each activity and role figure. */
  contributors?: Contributors,
): ReasonPart[] {
  const { byName } = indexOf(columns);
  const grouping = groupsOf(names, columns);
  const { groups: groupNames, kinds, groupOfName, columnsOf, foldsWhenAbsent } = grouping;
  const sums = new Float64Array(groupNames.length);
  for (let i = 0; i < names.length; i++) sums[groupOfName[i]!]! += points[i]!;

  // Fields without a value are one reason: they tend to be missing together.
  const candidates: GroupPart[] = [];
  const missing: number[] = [];
  let missingPoints = 0;
  for (let g = 0; g < groupNames.length; g++) {
    const group = groupNames[g]!;
    const kind = kinds[g]!;
    const activityCount = kind === 'activity' ? activityCountOf(group, activityCounts) : 0;
    const absent = isAbsent(kind, group, columnsOf[g]!, row, activityCount);
    if (absent && foldsWhenAbsent[g]) {
      missing.push(g);
      missingPoints += sums[g]!;
    } else {
      candidates.push({ index: g, group, points: sums[g]!, absent, activityCount });
    }
  }
  if (missing.length > 0) {
    candidates.push({
      index: -1,
      group: 'missing',
      points: missingPoints,
      absent: true,
      activityCount: 0,
    });
  }
  const eligible = candidates
    .filter((g) => !g.absent || Math.abs(g.points) >= ABSENT_MATERIAL_POINTS)
    .sort((a, b) => Math.abs(b.points) - Math.abs(a.points) || (a.group < b.group ? -1 : 1));
  const named = eligible.slice(0, MAX_NAMED_REASONS);
  const out: ReasonPart[] = named.map((g) => {
    let label: string;
    if (g.index < 0) {
      label = `Not on record: ${missing
        .map((m) => fieldLabel(groupNames[m]!))
        .sort()
        .join(', ')}`;
    } else {
      label = groupLabel(kinds[g.index]!, g.group, columnsOf[g.index]!, byName, row, g);
      const who = contributors?.get(g.group);
      if (who && who.length > 0 && !g.absent) label = `${label} (${nameContributors(who)})`;
    }
    return {
      ruleId: g.index < 0 ? PREDICTIVE_MISSING_RULE_ID : PREDICTIVE_RULE_ID_PREFIX + g.group,
      label,
      category: 'PREDICTIVE',
      kind: 'FEATURE',
      activityCount: g.activityCount,
      value: g.points,
    };
  });
  const restCount = candidates.length - named.length;
  if (restCount > 0) {
    let rest = 0;
    for (const g of candidates) if (!named.includes(g)) rest += g.points;
    out.push({
      ruleId: PREDICTIVE_OTHER_RULE_ID,
      label: `Other factors (${restCount})`,
      category: 'PREDICTIVE',
      kind: 'FEATURE',
      activityCount: 0,
      value: rest,
    });
  }
  return out;
}

function activityCountOf(group: string, activityCounts: Readonly<Record<string, number>>): number {
  const name = group.slice(ACTIVITY_FEATURE_PREFIX.length);
  if (name !== ANY_ACTIVITY) return activityCounts[name] ?? 0;
  let count = 0;
  for (const type in activityCounts) count += activityCounts[type]!;
  return count;
}

function isOn(value: FeatureValue | undefined): boolean {
  return typeof value === 'number' && value > 0;
}

function isAbsent(
  kind: GroupKind,
  group: string,
  columns: readonly string[],
  row: Readonly<Record<string, FeatureValue>>,
  activityCount: number,
): boolean {
  switch (kind) {
    case 'role':
      return !isOn(row[columns[0]!]);
    case 'contacts':
      return row[KNOWN_CONTACTS_COLUMN] === 0;
    case 'property':
      return !columns.some((c) => isOn(row[c]));
    case 'activity':
      return activityCount === 0;
    case 'single': {
      const value = row[group];
      return value === null || value === undefined || value === '';
    }
    case 'list': {
      // A list (`account.technologies=salesforce`, …) or a version-1 interaction.
      for (const c of columns) {
        if (row[c] !== null && row[c] !== undefined) return false;
        if (!c.startsWith(`${group}=`)) return false;
      }
      return true;
    }
  }
}

function groupLabel(
  kind: GroupKind,
  group: string,
  columns: readonly string[],
  byName: ReadonlyMap<string, FeatureColumn>,
  row: Readonly<Record<string, FeatureValue>>,
  part: GroupPart,
): string {
  switch (kind) {
    case 'role': {
      const role = roleLabel(group.slice(ROLE_FEATURE_PREFIX.length));
      return part.absent ? `No ${role.toLowerCase()} active` : `${role} active`;
    }
    case 'contacts': {
      const known = row[KNOWN_CONTACTS_COLUMN];
      const active = row[ACTIVE_CONTACTS_COLUMN];
      return typeof known === 'number' && typeof active === 'number'
        ? `Contacts: ${known} with activity, about ${active.toFixed(1)} of them lately`
        : 'Contacts';
    }
    case 'property': {
      // An activity property: the values the contact's recent activities carried.
      const values = columns
        .filter((c) => isOn(row[c]))
        .map((c) => c.slice(group.length + 1).replace(/\.\d+d$/, ''));
      return `Activity ${group.slice(PROPERTY_FEATURE_PREFIX.length)}: ${values.length ? values.join(', ') : 'none of the usual'}`;
    }
    case 'activity': {
      const name = group.slice(ACTIVITY_FEATURE_PREFIX.length);
      if (part.activityCount === 0) return `No ${activityLabel(name).toLowerCase()}`;
      const since = row[`${group}.daysSince`];
      const latest = typeof since === 'number' ? `, latest ${formatDays(since)}` : '';
      return `${activityLabel(name)}: ${part.activityCount}${latest}`;
    }
    case 'single': {
      const value = row[group];
      if (part.absent) return `${fieldLabel(group)}: not on record`;
      const shown =
        byName.get(group)?.timeVarying && typeof value === 'number'
          ? formatDays(value)
          : formatValue(group, value ?? null);
      return `${fieldLabel(group)}: ${shown}`;
    }
    case 'list': {
      const on = columns.filter((c) => row[c] === 1).map((c) => c.slice(group.length + 1));
      return `${fieldLabel(group)}: ${on.length ? on.join(', ') : 'none of the usual'}`;
    }
  }
}

const FIELD_LABELS: Readonly<Record<string, string>> = {
  'contact.title': 'Title',
  'contact.seniority': 'Seniority',
  'contact.department': 'Department',
  'contact.country': 'Country',
  'contact.emailDomain': 'Email domain',
  'account.industry': 'Industry',
  'account.domain': 'Account domain',
  'account.employeeCount': 'Employees',
  'account.annualRevenue': 'Annual revenue',
  'account.country': 'Account country',
  'account.region': 'Region',
  'account.technologies': 'Technologies',
};

/** `contact.seniority` → Seniority; `contact.attributes.job` → job; `account.attributes.x` → Account x. */
export function fieldLabel(path: string): string {
  const known = FIELD_LABELS[path];
  if (known) return known;
  if (path.startsWith('contact.attributes.')) return path.slice('contact.attributes.'.length);
  if (path.startsWith('account.attributes.')) {
    return `Account ${path.slice('account.attributes.'.length)}`;
  }
  if (path.startsWith(ENGAGEMENT_FEATURE_PREFIX)) {
    return activityLabel(path.slice(ENGAGEMENT_FEATURE_PREFIX.length));
  }
  return path;
}

const ACTIVITY_LABELS: Readonly<Record<string, string>> = {
  EMAIL_OPEN: 'Email opens',
  EMAIL_CLICK: 'Email clicks',
  PAGE_VIEW: 'Page views',
  FORM_SUBMIT: 'Form submissions',
  CONTENT_DOWNLOAD: 'Content downloads',
  WEBINAR_ATTENDED: 'Webinars attended',
  DEMO_REQUEST: 'Demo requests',
  TRIAL_SIGNUP: 'Trial sign-ups',
  PRODUCT_USAGE: 'Product usage',
  MEETING: 'Meetings',
  UNSUBSCRIBE: 'Unsubscribes',
  INTENT_SURGE: 'Intent surges',
  [ANY_ACTIVITY]: 'Activity',
};

/** At most three contacts with their share of a figure: `Dana Lee 60%, Raj Patel 40%`. */
function nameContributors(who: readonly { label: string; share: number }[]): string {
  const shown = who.slice(0, 3).map((w) => `${w.label} ${Math.round(w.share * 100)}%`);
  return who.length > 3 ? `${shown.join(', ')}, +${who.length - 3} more` : shown.join(', ');
}

const ROLE_LABELS: Readonly<Record<string, string>> = {
  DECISION_MAKER: 'Decision maker',
  ECONOMIC_BUYER: 'Economic buyer',
  CHAMPION: 'Champion',
  INFLUENCER: 'Influencer',
  TECHNICAL_EVALUATOR: 'Technical evaluator',
  USER: 'User',
  LEGAL_PROCUREMENT: 'Legal and procurement',
  BLOCKER: 'Blocker',
};

export function roleLabel(role: string): string {
  return ROLE_LABELS[role] ?? role;
}

export function activityLabel(type: string): string {
  return ACTIVITY_LABELS[type] ?? type;
}

function formatDays(days: number): string {
  if (days < 0) return `in ${Math.ceil(-days)} days`;
  if (days < 1) return 'today';
  const whole = Math.floor(days);
  return whole === 1 ? '1 day ago' : `${whole} days ago`;
}

function formatValue(path: string, value: FeatureValue): string {
  if (typeof value === 'number') {
    if (path.startsWith('contact.attributes.') || path.startsWith('account.attributes.')) {
      return String(Math.round(value * 100) / 100);
    }
    return Math.round(value * 100) / 100 >= 1000
      ? Math.round(value).toLocaleString('en-US')
      : String(Math.round(value * 100) / 100);
  }
  return String(value);
}
