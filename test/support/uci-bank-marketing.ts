/**
 * The UCI Bank Marketing data (../shared/data/uci-bank-marketing/, see its PROVENANCE.md) as a
 * customer would bring it to Quorum: one contact per row with the client's columns as custom
 * attributes, the campaign's calls as MEETING activities (channel = the `contact` column), and
 * the outcome (`y`) as WON or LOST. Read from outside the repository; never copied into it.
 *
 * The rows run from May 2008 to November 2010 in order, with the month but not the year or day:
 * the year rolls over when the month goes back, and each month's rows are spread evenly over its
 * days. A row's calls fall in the 20 days before its date (within one observation window), and
 * its outcome comes the day after the window that follows, so with windows of `HORIZON_DAYS`
 * from `FROM` each contact is observed once, as of the window start after its last call, and
 * labelled by its own outcome. `duration` is left out: it is known only after the call.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCsv, stableHash } from '@quorum/predictive';

export const UCI_FILE = resolve(
  __dirname,
  '../../../shared/data/uci-bank-marketing/bank-additional-full.csv',
);
export const FROM = new Date('2008-06-01T00:00:00.000Z');
export const TO = new Date('2010-12-15T00:00:00.000Z');
export const HORIZON_DAYS = 30;
const DAY = 86_400_000;
const HORIZON = HORIZON_DAYS * DAY;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** Columns that are not the client's attributes. */
const NOT_ATTRIBUTES = new Set(['y', 'duration', 'campaign', 'contact']);

export interface UciContact {
  /** 0-based line of the file (after the header). */
  row: number;
  email: string;
  attributes: Record<string, string>;
  calls: { occurredAt: string; channel: string }[];
  outcome: { type: 'WON' | 'LOST'; occurredAt: string };
}

export function uciAvailable(): boolean {
  return existsSync(UCI_FILE);
}

/** Every row as a contact; `part` keeps the rows whose stable hash falls in [from, to). */
export function uciContacts(part: { from: number; to: number } = { from: 0, to: 1 }): UciContact[] {
  const csv = parseCsv(readFileSync(UCI_FILE, 'utf8'), ';');
  const col = (name: string) => csv.header.indexOf(name);
  const dates = rowDates(csv.records.map((r) => r[col('month')]!));
  const out: UciContact[] = [];
  csv.records.forEach((record, row) => {
    const email = `client${row}@bank-marketing.example`;
    const share = stableHash(email, 7) / 2 ** 32;
    if (share < part.from || share >= part.to) return;
    const attributes: Record<string, string> = {};
    csv.header.forEach((name, j) => {
      if (!NOT_ATTRIBUTES.has(name)) attributes[name] = record[j]!;
    });
    const date = dates[row]!;
    const windowStart = FROM.getTime() + Math.ceil((date - FROM.getTime() + 1) / HORIZON) * HORIZON;
    const first = Math.max(windowStart - HORIZON + 3_600_000, date - 20 * DAY);
    const count = Number(record[col('campaign')]);
    const calls = Array.from({ length: count }, (_, k) => ({
      occurredAt: new Date(
        count === 1 ? date : Math.round(first + ((date - first) * k) / (count - 1)),
      ).toISOString(),
      channel: record[col('contact')]!,
    }));
    out.push({
      row,
      email,
      attributes,
      calls,
      outcome: {
        type: record[col('y')] === 'yes' ? 'WON' : 'LOST',
        occurredAt: new Date(windowStart + DAY).toISOString(),
      },
    });
  });
  return out;
}

/** Each row's date (epoch ms, noon UTC) from the month column alone. */
function rowDates(months: readonly string[]): number[] {
  const blocks: { start: number; end: number; month: number; year: number }[] = [];
  let year = 2008;
  let previous = -1;
  months.forEach((name, i) => {
    const month = MONTHS.indexOf(name);
    if (month !== previous) {
      if (month < previous) year++;
      if (blocks.length) blocks[blocks.length - 1]!.end = i;
      blocks.push({ start: i, end: months.length, month, year });
      previous = month;
    }
  });
  const dates = new Array<number>(months.length);
  for (const b of blocks) {
    const days = new Date(Date.UTC(b.year, b.month + 1, 0)).getUTCDate();
    for (let i = b.start; i < b.end; i++) {
      const day = 1 + Math.floor(((i - b.start) / (b.end - b.start)) * days);
      dates[i] = Date.UTC(b.year, b.month, day, 12);
    }
  }
  return dates;
}
