import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { RejectedRow } from './batch-sender';

/**
 * The rejected rows as JSON lines: `{"line":12,"reasons":["..."],"row":{"Email":"..."}}`
 * (`raw` with the record's text instead of `row` when it was not readable as CSV),
 * in the order they were found. Writes wait for the file to drain, so a file full of
 * bad rows does not pile up in memory.
 */
export class RejectsReport {
  private readonly stream: WriteStream;
  private failure: Error | null = null;
  count = 0;

  constructor(
    readonly path: string,
    private readonly headers: readonly string[] | (() => readonly string[]),
  ) {
    this.stream = createWriteStream(path, { flags: 'w', encoding: 'utf8' });
    this.stream.on('error', (error) => (this.failure = error));
  }

  async write(rejected: RejectedRow): Promise<void> {
    if (this.failure) throw new Error(`cannot write ${this.path}: ${this.failure.message}`);
    this.count++;
    const headers = typeof this.headers === 'function' ? this.headers() : this.headers;
    const row: Record<string, string> = {};
    rejected.values.forEach((value, i) => {
      row[headers[i] ?? `column ${i + 1}`] = value;
    });
    const entry =
      rejected.raw !== undefined
        ? { line: rejected.line, reasons: rejected.reasons, raw: rejected.raw }
        : { line: rejected.line, reasons: rejected.reasons, row };
    const line = JSON.stringify(entry) + '\n';
    if (!this.stream.write(line)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (this.failure) throw new Error(`cannot write ${this.path}: ${this.failure.message}`);
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
