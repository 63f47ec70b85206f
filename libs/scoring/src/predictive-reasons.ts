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

export interface ColumnPoints {
  /** A feature column, or an interaction of a version-1 model (`a × b`). */
  column: string;
  points: number;
}

interface GroupPart {
  group: string;
  points: number;
  absent: boolean;
  label: string;
  activityCount: number;
}

/**
 * Groups column points into readable reasons. `activityCounts` are the contact's activities per
 * type before the moment scored.
 */
export function readableReasons(
  parts: readonly ColumnPoints[],
  columns: readonly FeatureColumn[],
  row: Readonly<Record<string, FeatureValue>>,
  activityCounts: Readonly<Record<string, number>>,
  /** For an account: which contacts made each activity and role figure. */
  contributors?: Contributors,
): ReasonPart[] {
  const groupOf = new Map(columns.map((c) => [c.name, c.group]));
  const columnsOf = new Map<string, string[]>();
  const points = new Map<string, number>();
  for (const part of parts) {
    const group = groupOf.get(part.column) ?? part.column;
    points.set(group, (points.get(group) ?? 0) + part.points);
    const list = columnsOf.get(group) ?? [];
    list.push(part.column);
    columnsOf.set(group, list);
  }
  const byName = new Map(columns.map((c) => [c.name, c]));
  const groups: GroupPart[] = [...points].map(([group, value]) => {
    const part = describeGroup(group, value, columnsOf.get(group)!, byName, row, activityCounts);
    const who = contributors?.get(group);
    return who && who.length > 0 && !part.absent
      ? { ...part, label: `${part.label} (${nameContributors(who)})` }
      : part;
  });

  // Fields without a value are one reason: they tend to be missing together.
  const missing = groups.filter(
    (g) =>
      g.absent &&
      !g.group.startsWith(ACTIVITY_FEATURE_PREFIX) &&
      !g.group.startsWith(ROLE_FEATURE_PREFIX) &&
      g.group !== CONTACTS_GROUP,
  );
  const candidates = groups.filter((g) => !missing.includes(g));
  if (missing.length > 0) {
    candidates.push({
      group: 'missing',
      points: missing.reduce((s, g) => s + g.points, 0),
      absent: true,
      label: `Not on record: ${missing
        .map((g) => fieldLabel(g.group))
        .sort()
        .join(', ')}`,
      activityCount: 0,
    });
  }
  const eligible = candidates
    .filter((g) => !g.absent || Math.abs(g.points) >= ABSENT_MATERIAL_POINTS)
    .sort((a, b) => Math.abs(b.points) - Math.abs(a.points) || (a.group < b.group ? -1 : 1));
  const named = eligible.slice(0, MAX_NAMED_REASONS);
  const rest = candidates.filter((g) => !named.includes(g));
  const out: ReasonPart[] = named.map((g) => ({
    ruleId:
      g.group === 'missing' ? PREDICTIVE_MISSING_RULE_ID : PREDICTIVE_RULE_ID_PREFIX + g.group,
    label: g.label,
    category: 'PREDICTIVE',
    kind: 'FEATURE',
    activityCount: g.activityCount,
    value: g.points,
  }));
  if (rest.length > 0) {
    out.push({
      ruleId: PREDICTIVE_OTHER_RULE_ID,
      label: `Other factors (${rest.length})`,
      category: 'PREDICTIVE',
      kind: 'FEATURE',
      activityCount: 0,
      value: rest.reduce((s, g) => s + g.points, 0),
    });
  }
  return out;
}

function describeGroup(
  group: string,
  points: number,
  columns: readonly string[],
  byName: ReadonlyMap<string, FeatureColumn>,
  row: Readonly<Record<string, FeatureValue>>,
  activityCounts: Readonly<Record<string, number>>,
): GroupPart {
  if (group.startsWith(ROLE_FEATURE_PREFIX)) {
    const role = group.slice(ROLE_FEATURE_PREFIX.length);
    const value = row[columns[0]!];
    const absent = typeof value !== 'number' || value <= 0;
    return {
      group,
      points,
      absent,
      label: absent ? `No ${roleLabel(role).toLowerCase()} active` : `${roleLabel(role)} active`,
      activityCount: 0,
    };
  }
  if (group === CONTACTS_GROUP) {
    const known = row[KNOWN_CONTACTS_COLUMN];
    const active = row[ACTIVE_CONTACTS_COLUMN];
    return {
      group,
      points,
      absent: known === 0,
      label:
        typeof known === 'number' && typeof active === 'number'
          ? `Contacts: ${known} with activity, about ${active.toFixed(1)} of them lately`
          : 'Contacts',
      activityCount: 0,
    };
  }
  if (group.startsWith(PROPERTY_FEATURE_PREFIX)) {
    // An activity property: the values the contact's recent activities carried.
    const on = columns.filter((c) => typeof row[c] === 'number' && (row[c] as number) > 0);
    const values = on.map((c) => c.slice(group.length + 1).replace(/\.\d+d$/, ''));
    return {
      group,
      points,
      absent: on.length === 0,
      label: `Activity ${group.slice(PROPERTY_FEATURE_PREFIX.length)}: ${values.length ? values.join(', ') : 'none of the usual'}`,
      activityCount: 0,
    };
  }
  if (group.startsWith(ACTIVITY_FEATURE_PREFIX)) {
    const name = group.slice(ACTIVITY_FEATURE_PREFIX.length);
    if (name === ANY_ACTIVITY || isActivityType(name)) {
      const count =
        name === ANY_ACTIVITY
          ? Object.values(activityCounts).reduce((s, n) => s + n, 0)
          : (activityCounts[name] ?? 0);
      const since = row[`${group}.daysSince`];
      const latest = typeof since === 'number' ? `, latest ${formatDays(since)}` : '';
      return {
        group,
        points,
        absent: count === 0,
        label:
          count === 0
            ? `No ${activityLabel(name).toLowerCase()}`
            : `${activityLabel(name)}: ${count}${latest}`,
        activityCount: count,
      };
    }
  }
  const label = fieldLabel(group);
  if (columns.length === 1 && columns[0] === group) {
    const value = row[group];
    const absent = value === null || value === undefined || value === '';
    const shown =
      byName.get(group)?.timeVarying && typeof value === 'number'
        ? formatDays(value)
        : formatValue(group, value);
    return {
      group,
      points,
      absent,
      label: absent ? `${label}: not on record` : `${label}: ${shown}`,
      activityCount: 0,
    };
  }
  // A list (`account.technologies=salesforce`, …) or a version-1 interaction.
  const known = columns.filter((c) => row[c] !== null && row[c] !== undefined);
  const on = known.filter((c) => row[c] === 1).map((c) => c.slice(group.length + 1));
  return {
    group,
    points,
    absent: known.length === 0 && columns.every((c) => c.startsWith(`${group}=`)),
    label: `${label}: ${on.length ? on.join(', ') : 'none of the usual'}`,
    activityCount: 0,
  };
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
