import { ACTIVITY_TYPES, type ActivityType } from '@quorum/scoring';

const INT_MAX = 2_147_483_647;

/** `1,200` or `1 200` → 1200; null when it is not a non-negative whole number. */
export function parseCount(value: string): number | null {
  const digits = value.replace(/[\s,_']/g, '');
  if (!/^\d+(\.0+)?$/.test(digits)) return null;
  const n = Number(digits);
  return n <= INT_MAX ? n : null;
}

/** `$1,250,000.50`, `€ 3.5M`, `2k` → a number; null when it is not a non-negative amount. */
export function parseAmount(value: string): number | null {
  const match = /^([\d.]+)([kmb])?$/i.exec(value.replace(/[\s,_'$€£¥]|USD|EUR|GBP/gi, ''));
  if (!match || !/^\d+(\.\d+)?$|^\.\d+$/.test(match[1]!)) return null;
  const scale = { k: 1e3, m: 1e6, b: 1e9 }[(match[2] ?? '').toLowerCase()] ?? 1;
  const n = Number(match[1]) * scale;
  return Number.isFinite(n) ? n : null;
}

const TRUE = new Set(['true', 'yes', 'y', '1', 'x']);
const FALSE = new Set(['false', 'no', 'n', '0']);

export function parseBoolean(value: string): boolean | null {
  const v = value.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  return null;
}

const ISO_WITHOUT_ZONE = /^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?$/;
const ISO_WITH_ZONE =
  /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const US_DATE =
  /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AP])\.?M\.?)?)?$/i;

/**
 * Date-times as CRM exports write them: ISO 8601 (no zone means UTC), epoch seconds or
 * milliseconds, or US `M/D/YYYY [h:mm[:ss] [AM|PM]]` (UTC). Null when it is none of these.
 */
export function parseDateTime(value: string): Date | null {
  const v = value.trim();
  if (/^\d{13}$/.test(v)) return validDate(Number(v));
  if (/^\d{10}$/.test(v)) return validDate(Number(v) * 1000);
  if (ISO_WITHOUT_ZONE.test(v)) {
    const [date, time = '00:00:00'] = v.split(/[ T]/);
    return validDate(Date.parse(`${date}T${time}Z`), date);
  }
  if (ISO_WITH_ZONE.test(v)) return validDate(Date.parse(v.replace(' ', 'T')), v.slice(0, 10));
  const us = US_DATE.exec(v);
  if (us) {
    const [, month, day, year, h = '0', min = '00', sec = '00', half] = us;
    let hour = Number(h);
    if (half) {
      if (hour < 1 || hour > 12) return null;
      hour = (hour % 12) + (half.toUpperCase() === 'P' ? 12 : 0);
    }
    const iso = `${year}-${month!.padStart(2, '0')}-${day!.padStart(2, '0')}`;
    const time = `${String(hour).padStart(2, '0')}:${min}:${sec.padStart(2, '0')}`;
    return validDate(Date.parse(`${iso}T${time}Z`), iso);
  }
  return null;
}

/** Rejects NaN and days JavaScript would roll over (2026-02-30 becoming 2026-03-02). */
function validDate(ms: number, isoDay?: string): Date | null {
  if (!Number.isFinite(ms)) return null;
  if (isoDay !== undefined) {
    const day = Date.parse(`${isoDay}T00:00:00Z`);
    if (!Number.isFinite(day) || new Date(day).toISOString().slice(0, 10) !== isoDay) return null;
  }
  return new Date(ms);
}

const TYPE_ALIASES: Record<string, ActivityType> = {
  EMAIL_OPENED: 'EMAIL_OPEN',
  OPEN: 'EMAIL_OPEN',
  EMAIL_CLICKED: 'EMAIL_CLICK',
  CLICK: 'EMAIL_CLICK',
  PAGEVIEW: 'PAGE_VIEW',
  PAGE_VISIT: 'PAGE_VIEW',
  WEB_VISIT: 'PAGE_VIEW',
  FORM_SUBMISSION: 'FORM_SUBMIT',
  FORM_SUBMITTED: 'FORM_SUBMIT',
  DOWNLOAD: 'CONTENT_DOWNLOAD',
  WEBINAR: 'WEBINAR_ATTENDED',
  WEBINAR_ATTENDANCE: 'WEBINAR_ATTENDED',
  DEMO_REQUESTED: 'DEMO_REQUEST',
  TRIAL: 'TRIAL_SIGNUP',
  TRIAL_STARTED: 'TRIAL_SIGNUP',
  MEETING_BOOKED: 'MEETING',
  UNSUBSCRIBED: 'UNSUBSCRIBE',
};

/** `Email Open`, `page-view`, `Form Submission` → the ActivityType; null when unknown. */
export function parseActivityType(value: string): ActivityType | null {
  const key = value
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  if ((ACTIVITY_TYPES as readonly string[]).includes(key)) return key as ActivityType;
  return TYPE_ALIASES[key] ?? null;
}
