import {
  FIELD_HEADERS,
  FREE_FORM_PREFIX,
  headerKey,
  isKnownField,
  type ImportKind,
} from './fields';

/** Header → field, as given by the user; null (or "") leaves the column out. */
export type MappingOverrides = Record<string, string | null>;

export interface MappedColumn {
  index: number;
  header: string;
  field: string;
}

export interface ColumnMapping {
  kind: ImportKind;
  /** A field may have several columns: the first non-empty one in this order wins. */
  columns: MappedColumn[];
  /** Headers of the file that feed no field. */
  ignored: string[];
  headerCount: number;
}

/** The mapping cannot work for this file; nothing has been sent. */
export class MappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingError';
  }
}

const REQUIRED: Record<ImportKind, string[]> = {
  accounts: ['domain'],
  contacts: ['email'],
  activities: ['type', 'occurredAt'],
};
const ACTIVITY_SUBJECTS = ['email', 'contactId', 'accountId', 'accountDomain'];

/**
 * Decides which column feeds which field: the user's overrides first, then for every
 * field still open the first of its usual CRM headers the file has.
 */
export function resolveMapping(
  kind: ImportKind,
  headers: readonly string[],
  overrides: MappingOverrides = {},
  delimiter = ',',
  /**
   * Bring every column that feeds no field in as `attributes.<Header>` (accounts, contacts) or
   * `properties.<Header>` (activities), so a customer's whole export reaches scoring and training.
   * Columns mapped to null stay out.
   */
  unmatchedAsAttributes = false,
): ColumnMapping {
  const keys = headers.map(headerKey);
  const byField = new Map<string, MappedColumn>();
  const decided = new Set<number>();

  for (const [header, rawField] of Object.entries(overrides)) {
    const index = keys.indexOf(headerKey(header));
    if (index < 0) {
      throw new MappingError(
        `the mapping names column "${header}", which the file does not have (columns: ${headers.join(', ')})`,
      );
    }
    decided.add(index);
    const field = rawField?.trim() ?? '';
    if (field === '') continue;
    if (!isKnownField(kind, field)) {
      throw new MappingError(
        `column "${header}" is mapped to "${field}", which is not a field of ${kind} (fields: ${fieldList(kind)})`,
      );
    }
    const taken = byField.get(field);
    if (taken) {
      throw new MappingError(
        `columns "${taken.header}" and "${headers[index]}" are both mapped to ${field}`,
      );
    }
    byField.set(field, { index, header: headers[index]!, field });
  }

  // Every usual header the file has feeds the field, in the order of the list: a row
  // whose first column is empty takes the next (Website URL when Company Domain Name is).
  const fallbacks: MappedColumn[] = [];
  for (const [field, candidates] of Object.entries(FIELD_HEADERS[kind])) {
    if (byField.has(field)) continue;
    for (const candidate of [field.toLowerCase(), ...candidates]) {
      const index = keys.findIndex((k, i) => k === candidate && !decided.has(i));
      if (index < 0) continue;
      decided.add(index);
      const column = { index, header: headers[index]!, field };
      if (byField.has(field)) fallbacks.push(column);
      else byField.set(field, column);
    }
  }

  const missing = REQUIRED[kind].filter((f) => !byField.has(f));
  if (kind === 'activities' && !ACTIVITY_SUBJECTS.some((f) => byField.has(f))) {
    missing.push(ACTIVITY_SUBJECTS.join(' or '));
  }
  if (missing.length > 0) {
    const other = [';', '\t', '|'].find((d) => d !== delimiter && headers.join('').includes(d));
    const hint =
      headers.length === 1 && other
        ? `; the header looks ${other === '\t' ? 'tab' : `"${other}"`}-separated: try --delimiter ${other === '\t' ? 'tab' : `"${other}"`}`
        : '';
    throw new MappingError(
      `no column for ${missing.join(', ')}: map one with --map "Your Header=${missing[0]!.split(' ')[0]}" (columns: ${headers.join(', ')})${hint}`,
    );
  }

  if (unmatchedAsAttributes) {
    const prefix = FREE_FORM_PREFIX[kind];
    headers.forEach((header, index) => {
      const name = header.trim();
      if (decided.has(index) || name === '' || byField.has(prefix + name)) return;
      byField.set(prefix + name, { index, header, field: prefix + name });
    });
  }
  const columns = [...[...byField.values()].sort((a, b) => a.index - b.index), ...fallbacks];
  const used = new Set(columns.map((c) => c.index));
  return {
    kind,
    columns,
    ignored: headers.filter((_, i) => !used.has(i)),
    headerCount: headers.length,
  };
}

function fieldList(kind: ImportKind): string {
  return [...Object.keys(FIELD_HEADERS[kind]), `${FREE_FORM_PREFIX[kind]}<name>`].join(', ');
}

/** `"Column Header=field"` flags; the last `=` separates, so headers may hold `=`. */
export function parseMapFlags(flags: readonly string[]): MappingOverrides {
  const overrides: MappingOverrides = {};
  for (const flag of flags) {
    const at = flag.lastIndexOf('=');
    if (at <= 0) {
      throw new MappingError(`--map "${flag}" is not of the form "Column Header=field"`);
    }
    overrides[flag.slice(0, at)] = flag.slice(at + 1);
  }
  return overrides;
}

/** A mapping file: a JSON object of header → field (null or "" to leave a column out). */
export function parseMappingJson(text: string, source: string): MappingOverrides {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new MappingError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new MappingError(`${source} must hold a JSON object of "Column Header": "field"`);
  }
  const overrides: MappingOverrides = {};
  for (const [header, field] of Object.entries(parsed)) {
    if (field !== null && typeof field !== 'string') {
      throw new MappingError(`${source}: the field for "${header}" must be a string or null`);
    }
    overrides[header] = field;
  }
  return overrides;
}
