import { type ColumnSpec, type FeatureRow } from './feature-spec';

export type ColumnKind = 'numeric' | 'categorical';

export interface Dataset {
  /** Feature columns (outcome and dropped columns left out), in file order. */
  columns: { name: string; kind: ColumnKind }[];
  rows: FeatureRow[];
  labels: (0 | 1)[];
  outcome: string;
  positive: string;
  dropped: string[];
}

export interface DatasetOptions {
  /** The outcome column. Default: `y` if present, else the last column. */
  outcome?: string;
  /** The outcome value that counts as converted. Default: `yes`, `1` or `true` if present. */
  positive?: string;
  /** Columns to leave out. */
  drop?: readonly string[];
}

/**
 * Numeric when every non-blank value is a finite number (and there is at least one);
 * categorical otherwise.
 */
export function inferColumnKind(values: readonly string[]): ColumnKind {
  let seen = false;
  for (const v of values) {
    const s = v.trim();
    if (s === '') continue;
    seen = true;
    if (!Number.isFinite(Number(s))) return 'categorical';
  }
  return seen ? 'numeric' : 'categorical';
}

/** Builds feature rows and 0/1 labels from parsed CSV records. */
export function buildDataset(
  header: readonly string[],
  records: readonly (readonly string[])[],
  options: DatasetOptions = {},
): Dataset {
  const outcome = options.outcome ?? (header.includes('y') ? 'y' : header[header.length - 1]);
  const outcomeIndex = outcome === undefined ? -1 : header.indexOf(outcome);
  if (outcome === undefined || outcomeIndex < 0) {
    throw new RangeError(`outcome column "${outcome}" not found; columns: ${header.join(', ')}`);
  }
  const outcomeValues = new Set(records.map((r) => (r[outcomeIndex] as string).trim()));
  const positive =
    options.positive ??
    ['yes', '1', 'true', 'Yes', 'YES', 'True', 'TRUE'].find((v) => outcomeValues.has(v));
  if (positive === undefined) {
    throw new RangeError(
      `cannot tell which value of "${outcome}" means converted (${[...outcomeValues].slice(0, 5).join(', ')}); pass --positive`,
    );
  }
  if (!outcomeValues.has(positive)) {
    throw new RangeError(`no row has ${outcome} = ${JSON.stringify(positive)}`);
  }
  for (const d of options.drop ?? []) {
    if (!header.includes(d)) throw new RangeError(`cannot drop "${d}": no such column`);
  }
  const dropped = header.filter((h) => options.drop?.includes(h) && h !== outcome);
  const keep = header
    .map((name, index) => ({ name, index }))
    .filter((c) => c.index !== outcomeIndex && !dropped.includes(c.name));
  const columns = keep.map((c) => ({
    name: c.name,
    kind: inferColumnKind(records.map((r) => r[c.index] as string)),
  }));
  const rows = records.map((r) => {
    const row: Record<string, string | number | null> = {};
    keep.forEach((c, k) => {
      const raw = (r[c.index] as string).trim();
      row[c.name] = raw === '' ? null : columns[k]!.kind === 'numeric' ? Number(raw) : raw;
    });
    return row;
  });
  const labels = records.map(
    (r) => ((r[outcomeIndex] as string).trim() === positive ? 1 : 0) as 0 | 1,
  );
  return { columns, rows, labels, outcome, positive, dropped };
}

/** A default spec: categorical columns one-hot, numeric columns in `bins` quantile bins. */
export function defaultSpec(
  columns: readonly { name: string; kind: ColumnKind }[],
  bins = 10,
): { columns: ColumnSpec[] } {
  return {
    columns: columns.map((c): ColumnSpec =>
      c.kind === 'numeric'
        ? { kind: 'numeric', name: c.name, bins }
        : { kind: 'categorical', name: c.name },
    ),
  };
}
