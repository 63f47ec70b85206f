import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse, type CsvError } from 'csv-parse';
import {
  BatchSender,
  emptyCounts,
  type ImportCounts,
  type PreparedRow,
  type RejectedRow,
} from './batch-sender';
import {
  MappingError,
  resolveMapping,
  type ColumnMapping,
  type MappingOverrides,
} from './column-mapping';
import type { ImportKind } from './fields';
import { ImportProgress } from './import-progress';
import { ImportAborted, QuorumClient } from './quorum-client';
import { RejectsReport } from './rejects-report';
import { convertRow } from './row-conversion';

export const MAX_BATCH_SIZE = 1000;
export const MAX_CONCURRENCY = 4;

export interface ImportOptions {
  kind: ImportKind;
  file: string;
  /** GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  url: string;
  key: string;
  overrides?: MappingOverrides;
  /** Columns that feed no field go into attributes (properties for activities). */
  attributes?: boolean;
  /** Where rejected rows go (JSON lines); default `<file>.rejected.jsonl`. */
  rejectsPath?: string;
  /** Field separator; default `,`. */
  delimiter?: string;
  batchSize?: number;
  /** Calls in flight at once, for activities only (1 to 4; default 1). */
  concurrency?: number;
  /** Longest total wait on 429 answers for one call before the import stops (default 10 min). */
  maxRateLimitWaitMs?: number;
  progress?: boolean;
  log?: (line: string) => void;
}

export interface ImportSummary extends ImportCounts {
  kind: ImportKind;
  file: string;
  /** Data rows read (header not counted). */
  rows: number;
  rejected: number;
  rejectsFile: string;
  mapping: { header: string; field: string }[];
  ignoredColumns: string[];
  elapsedMs: number;
  rowsPerSecond: number;
  /** Why the import stopped before the end of the file, or null when it finished. */
  aborted: string | null;
}

/**
 * Streams a CSV export into Quorum: parses as it reads (csv-parse applies backpressure,
 * so only the batch being filled and the ones in flight are in memory), maps each row
 * to an API input, sends batches of up to 1,000, and writes every row it could not land
 * to the rejects report with its line number and reasons.
 */
export async function runImport(options: ImportOptions): Promise<ImportSummary> {
  const startedAt = Date.now();
  const log = options.log ?? (() => undefined);
  const batchSize = Math.min(MAX_BATCH_SIZE, Math.max(1, options.batchSize ?? MAX_BATCH_SIZE));
  // Accounts and contacts go one call at a time, so that a later row for the same domain
  // or email lands after an earlier one; activities have no order to keep.
  const concurrency =
    options.kind === 'activities'
      ? Math.min(MAX_CONCURRENCY, Math.max(1, options.concurrency ?? 1))
      : 1;
  const { size } = await stat(options.file);
  const rejectsFile = options.rejectsPath ?? `${options.file}.rejected.jsonl`;

  let headers: string[] = [];
  let mapping: ColumnMapping | null = null;
  const report = new RejectsReport(rejectsFile, () => headers);
  const progress = new ImportProgress(size, options.progress ?? false);
  const client = new QuorumClient({
    url: options.url,
    key: options.key,
    maxRateLimitWaitMs: options.maxRateLimitWaitMs,
    onWait: (reason, ms) => {
      if (reason !== 'rate-limit' || ms < 1000) return;
      const note = `write budget of the key spent: waiting ${Math.round(ms / 1000)} s`;
      // A log line would break the bar's line: the bar shows it instead.
      if (progress.active) progress.show(note, ms);
      else log(note);
    },
  });
  let sender: BatchSender | null = null;

  const skipped: RejectedRow[] = [];
  const source = createReadStream(options.file);
  const parser = parse({
    bom: true,
    delimiter: options.delimiter ?? ',',
    info: true,
    relax_column_count: true,
    // A quote inside an unquoted field (`27" monitor`) is text, as spreadsheets write it.
    relax_quotes: true,
    // Only so that an unreadable record can be shown in the rejects report.
    raw: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined, raw: string | undefined) => {
      const line = (error as { lines?: number } | undefined)?.lines ?? 0;
      skipped.push({
        line,
        values: [],
        raw: raw?.slice(0, 10_000),
        reasons: [`not valid CSV: ${error?.message ?? 'unreadable record'}`],
      });
      return undefined;
    },
  });
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);

  let rows = 0;
  let bytesRead = 0;
  let batch: PreparedRow[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  let aborted: string | null = null;
  const rethrow = () => {
    if (failure) throw failure;
  };
  /** Records csv-parse could not read count as rows, and as rejected. */
  const reportSkipped = async () => {
    for (let next = skipped.shift(); next; next = skipped.shift()) {
      rows++;
      await report.write(next);
    }
  };
  /** Sends the batch once fewer than `concurrency` calls are in flight. */
  const flush = async () => {
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    rethrow();
    if (batch.length === 0) return;
    const sending: Promise<void> = sender!
      .send(batch)
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(sending));
    inFlight.add(sending);
    batch = [];
  };

  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number; bytes: number };
    }>) {
      await reportSkipped();
      if (!mapping) {
        headers = record.map((h) => h.trim());
        mapping = resolveMapping(
          options.kind,
          headers,
          options.overrides,
          options.delimiter,
          options.attributes === true,
        );
        sender = new BatchSender(client, mapping, (row) => report.write(row));
        log(
          `columns: ${mapping.columns.map((c) => `${c.header} → ${c.field}`).join(', ')}` +
            (mapping.ignored.length ? `; ignored: ${mapping.ignored.join(', ')}` : ''),
        );
        progress.start();
        continue;
      }
      rows++;
      bytesRead = info.bytes;
      const line = info.lines - newlinesIn(record);
      const converted = convertRow(mapping, record);
      if (converted.ok)
        batch.push({ line, values: record, input: converted.input, sources: converted.sources });
      else await report.write({ line, values: record, reasons: converted.reasons });
      if (batch.length >= batchSize) await flush();
      if (rows % 500 === 0) progress.update(bytesRead, rows, report.count);
    }
    await reportSkipped();
    if (!mapping) throw new MappingError(`${options.file} is empty: it has no header row`);
    await flush();
    await Promise.all(inFlight);
    rethrow();
    progress.update(size, rows, report.count);
  } catch (error) {
    await Promise.all(inFlight);
    if (!(error instanceof ImportAborted)) {
      source.destroy();
      progress.stop();
      await report.close().catch(() => undefined);
      throw error;
    }
    aborted = error.message;
    source.destroy();
  } finally {
    progress.stop();
  }
  await report.close();

  const elapsedMs = Date.now() - startedAt;
  return {
    kind: options.kind,
    file: options.file,
    rows,
    ...(sender?.counts ?? emptyCounts()),
    rejected: report.count,
    rejectsFile,
    mapping: (mapping?.columns ?? []).map(({ header, field }) => ({ header, field })),
    ignoredColumns: mapping?.ignored ?? [],
    elapsedMs,
    rowsPerSecond: Math.round((rows / Math.max(1, elapsedMs)) * 1000),
    aborted,
  };
}

/** Quoted fields may span lines; the record's first line is its last minus those. */
function newlinesIn(record: readonly string[]): number {
  let n = 0;
  for (const value of record) {
    for (let i = value.indexOf('\n'); i >= 0; i = value.indexOf('\n', i + 1)) n++;
  }
  return n;
}
