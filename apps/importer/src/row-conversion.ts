import { createHash } from 'node:crypto';
import { ACTIVITY_TYPES } from '@quorum/scoring';
import {
  parseActivityType,
  parseAmount,
  parseBoolean,
  parseCount,
  parseDateTime,
} from './cell-parsing';
import type { ColumnMapping } from './column-mapping';
import { FREE_FORM_PREFIX, type ImportKind } from './fields';

/** One input item of upsertAccounts, upsertContacts or recordActivities, as JSON. */
export type ApiInput = Record<string, unknown>;

export type RowConversion =
  /** `sources`: the column each field's value came from, to name it in the API's reasons. */
  | { ok: true; input: ApiInput; sources: ReadonlyMap<string, string> }
  | { ok: false; reasons: string[] };

type Cells = Map<string, { header: string; value: string }>;

/**
 * A CSV row → the API input it stands for. Empty cells are left out (so an upsert keeps
 * the stored value); cells that cannot be read give a reason naming the column.
 */
export function convertRow(mapping: ColumnMapping, values: readonly string[]): RowConversion {
  if (values.length !== mapping.headerCount) {
    return {
      ok: false,
      reasons: [`has ${values.length} fields where the header has ${mapping.headerCount}`],
    };
  }
  const cells: Cells = new Map();
  for (const { index, header, field } of mapping.columns) {
    const value = values[index]!.trim();
    if (value !== '' && !cells.has(field)) cells.set(field, { header, value });
  }
  const reasons: string[] = [];
  const required = (field: string) => {
    if (cells.has(field)) return;
    const from = mapping.columns.filter((c) => c.field === field).map((c) => c.header);
    reasons.push(
      from.length > 1 ? `${from.join(' and ')} are empty` : `${from[0] ?? field} is empty`,
    );
  };
  const input = CONVERTERS[mapping.kind](cells, reasons, required);
  if (reasons.length > 0) return { ok: false, reasons };
  const sources = new Map([...cells].map(([field, { header }]) => [field, header]));
  return { ok: true, input, sources };
}

type Converter = (cells: Cells, reasons: string[], required: (field: string) => void) => ApiInput;

const CONVERTERS: Record<ImportKind, Converter> = {
  accounts(cells, reasons, required) {
    const input: ApiInput = {};
    required('domain');
    copyText(cells, input, ['domain', 'name', 'industry', 'country', 'region', 'ownerId']);
    setParsed(cells, input, reasons, 'employeeCount', parseCount, 'is not a whole number');
    setParsed(cells, input, reasons, 'annualRevenue', parseAmount, 'is not an amount');
    const tech = cells.get('technologies');
    if (tech) {
      input['technologies'] = tech.value
        .split(/[;,|]/)
        .map((t) => t.trim())
        .filter(Boolean);
    }
    setFreeForm(cells, input, 'accounts');
    return input;
  },

  contacts(cells, reasons, required) {
    const input: ApiInput = {};
    required('email');
    copyText(cells, input, [
      'email',
      'accountId',
      'accountDomain',
      'firstName',
      'lastName',
      'title',
      'seniority',
      'department',
      'country',
    ]);
    // An account id is more precise than a domain; the API takes only one of them.
    if (input['accountId'] !== undefined) delete input['accountDomain'];
    setParsed(cells, input, reasons, 'unsubscribed', parseBoolean, 'is not yes/no (true/false)');
    setFreeForm(cells, input, 'contacts');
    return input;
  },

  activities(cells, reasons, required) {
    const input: ApiInput = {};
    required('type');
    required('occurredAt');
    setParsed(
      cells,
      input,
      reasons,
      'type',
      parseActivityType,
      `is not an activity type (${ACTIVITY_TYPES.join(', ')})`,
    );
    setParsed(
      cells,
      input,
      reasons,
      'occurredAt',
      (v) => parseDateTime(v)?.toISOString() ?? null,
      'is not a date-time (ISO 8601, epoch or M/D/YYYY)',
    );
    // The most precise subject wins: the API takes exactly one.
    const subject = ['contactId', 'email', 'accountId', 'accountDomain'].find((f) => cells.has(f));
    if (subject) input[subject] = cells.get(subject)!.value;
    else reasons.push('has no email, contact id, account id or account domain');
    setFreeForm(cells, input, 'activities');
    const externalId = cells.get('externalId')?.value;
    input['externalId'] = externalId ?? derivedExternalId(input);
    return input;
  },
};

/**
 * A stable id for an activity row without one: the same activity (type, time, subject,
 * properties) read again gives the same id, so a re-run is recognised as duplicates.
 */
export function derivedExternalId(input: ApiInput): string {
  const properties = (input['properties'] ?? {}) as Record<string, unknown>;
  const canonical = JSON.stringify([
    input['type'],
    input['occurredAt'],
    input['contactId'] ?? null,
    typeof input['email'] === 'string' ? input['email'].toLowerCase() : null,
    input['accountId'] ?? null,
    typeof input['accountDomain'] === 'string' ? input['accountDomain'].toLowerCase() : null,
    Object.keys(properties)
      .sort()
      .map((k) => [k, properties[k]]),
  ]);
  return `csv-${createHash('sha256').update(canonical).digest('hex').slice(0, 40)}`;
}

function copyText(cells: Cells, input: ApiInput, fields: readonly string[]): void {
  for (const field of fields) {
    const cell = cells.get(field);
    if (cell) input[field] = cell.value;
  }
}

function setParsed<T>(
  cells: Cells,
  input: ApiInput,
  reasons: string[],
  field: string,
  parse: (value: string) => T | null,
  problem: string,
): void {
  const cell = cells.get(field);
  if (!cell) return;
  const parsed = parse(cell.value);
  if (parsed === null) reasons.push(`${cell.header}: "${cell.value.slice(0, 100)}" ${problem}`);
  else input[field] = parsed;
}

function setFreeForm(cells: Cells, input: ApiInput, kind: ImportKind): void {
  const prefix = FREE_FORM_PREFIX[kind];
  const target = prefix.slice(0, -1);
  for (const [field, { value }] of cells) {
    if (!field.startsWith(prefix)) continue;
    const object = (input[target] ??= {}) as Record<string, unknown>;
    object[field.slice(prefix.length)] = value;
  }
}
