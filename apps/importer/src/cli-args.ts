import { parseArgs } from 'node:util';
import { IMPORT_KINDS, isImportKind, type ImportKind } from './fields';

export const USAGE = `Usage: npm run import -- accounts|contacts|activities <file.csv> --workspace-key <key> [options]

Options:
  --workspace-key <key>     API key with the WRITE scope (or set QUORUM_API_KEY)
  --url <url>               GraphQL endpoint (default http://localhost:4000/graphql)
  --mapping <file.json>     JSON object of "Column Header": "field" (null leaves a column out)
  --map "Header=field"      one column's field; repeatable; wins over --mapping
  --attributes              bring every column that feeds no field in as a custom
                            attribute named by its header (activities: a property)
  --delimiter <char>        field separator: , (default), ; or tab
  --rejects <file>          rejected rows as JSON lines (default <file.csv>.rejected.jsonl)
  --batch-size <n>          rows per call, 1 to 1000 (default 1000)
  --concurrency <n>         activities only: calls in flight at once, 1 to 4 (default 1)
  --max-rate-limit-wait <minutes>
                            longest wait on rate-limit (429) answers for one call before
                            the import stops (default 10)
  --json                    print the summary as JSON
  --quiet                   no progress bar
  -h, --help                this text

Exit code: 0 every row landed; 2 some rows were rejected (see the rejects file);
1 the import could not run or stopped (bad arguments or mapping, file unreadable,
key refused, API unreachable, rate-limited past --max-rate-limit-wait).`;

export interface CliOptions {
  kind: ImportKind;
  file: string;
  key: string;
  url: string;
  mappingFile: string | null;
  maps: string[];
  attributes: boolean;
  rejectsPath: string | null;
  delimiter: string;
  batchSize: number;
  concurrency: number;
  maxRateLimitWaitMs: number;
  json: boolean;
  quiet: boolean;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parses the command line; `help` when -h was given. */
export function parseCliArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): CliOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        'workspace-key': { type: 'string' },
        url: { type: 'string', default: 'http://localhost:4000/graphql' },
        mapping: { type: 'string' },
        map: { type: 'string', multiple: true, default: [] },
        attributes: { type: 'boolean', default: false },
        rejects: { type: 'string' },
        delimiter: { type: 'string', default: ',' },
        'batch-size': { type: 'string', default: '1000' },
        concurrency: { type: 'string', default: '1' },
        'max-rate-limit-wait': { type: 'string', default: '10' },
        json: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  const [kind, file, ...extra] = positionals;
  if (!kind || !isImportKind(kind)) {
    throw new UsageError(
      `the first argument must be one of ${IMPORT_KINDS.join(', ')} (got ${kind ? `"${kind}"` : 'nothing'})`,
    );
  }
  if (!file) throw new UsageError('give the CSV file to import after the kind');
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const key = values['workspace-key'] ?? env['QUORUM_API_KEY'];
  if (!key)
    throw new UsageError('give the workspace API key with --workspace-key (or QUORUM_API_KEY)');
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000) {
    throw new UsageError(
      `--batch-size must be a whole number from 1 to 1000 (got ${values['batch-size']})`,
    );
  }
  const delimiter = values.delimiter.toLowerCase() === 'tab' ? '\t' : values.delimiter;
  if (delimiter.length !== 1 || /["\r\n]/.test(delimiter)) {
    throw new UsageError(`--delimiter must be one character, or "tab" (got "${values.delimiter}")`);
  }
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 4) {
    throw new UsageError(
      `--concurrency must be a whole number from 1 to 4 (got ${values.concurrency})`,
    );
  }
  const maxWaitMinutes = Number(values['max-rate-limit-wait']);
  if (!Number.isFinite(maxWaitMinutes) || maxWaitMinutes <= 0) {
    throw new UsageError(
      `--max-rate-limit-wait must be a number of minutes above 0 (got ${values['max-rate-limit-wait']})`,
    );
  }
  try {
    new URL(values.url);
  } catch {
    throw new UsageError(`--url is not a URL (got "${values.url}")`);
  }
  return {
    kind,
    file,
    key,
    url: values.url,
    mappingFile: values.mapping ?? null,
    maps: values.map,
    attributes: values.attributes,
    rejectsPath: values.rejects ?? null,
    delimiter,
    batchSize,
    concurrency,
    maxRateLimitWaitMs: Math.round(maxWaitMinutes * 60_000),
    json: values.json,
    quiet: values.quiet,
  };
}
