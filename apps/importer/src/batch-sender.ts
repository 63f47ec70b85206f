import type { ColumnMapping } from './column-mapping';
import type { BulkCounts, ItemIssue, QuorumClient } from './quorum-client';
import { ImportAborted } from './quorum-client';
import type { ApiInput } from './row-conversion';

export interface PreparedRow {
  /** Line of the CSV file where the row starts (the header is line 1). */
  line: number;
  values: readonly string[];
  input: ApiInput;
  /** Field → the column its value came from. */
  sources: ReadonlyMap<string, string>;
}

export interface RejectedRow {
  line: number;
  values: readonly string[];
  reasons: string[];
  /** The text of a record that could not be read as CSV (then `values` is empty). */
  raw?: string;
}

export type ImportCounts = Omit<BulkCounts, 'scoringDelayed'> & {
  scoringDelayed: boolean;
  /** Rows that are in Quorum (accepted calls). */
  landed: number;
  calls: number;
};

export function emptyCounts(): ImportCounts {
  return {
    created: 0,
    updated: 0,
    accountsCreated: 0,
    accepted: 0,
    duplicates: 0,
    contactsCreated: 0,
    scoringDelayed: false,
    landed: 0,
    calls: 0,
  };
}

/** Quorum's body limit is 2,000,000 bytes; a batch bigger than this is sent in halves. */
const MAX_BODY_BYTES = 1_800_000;
const IN_CALL_DUPLICATE = /^duplicates \w+\[\d+\]/;

/**
 * Sends one batch so that nothing partial is written and good rows still land: the API
 * refuses a call with any bad item, so the items it names are set aside with its reasons
 * and the rest is sent again. A row that repeats the key of an earlier row of the same
 * call is sent in a later call, where it updates what the earlier one wrote, as it would
 * have in a later batch.
 */
export class BatchSender {
  readonly counts = emptyCounts();

  constructor(
    private readonly client: QuorumClient,
    private readonly mapping: ColumnMapping,
    private readonly reject: (row: RejectedRow) => Promise<void>,
  ) {}

  async send(rows: readonly PreparedRow[]): Promise<void> {
    let pending = rows;
    while (pending.length > 0) {
      pending = await this.sendUntilAccepted(pending);
    }
  }

  /** Returns the rows held back as in-call duplicates, for the next call. */
  private async sendUntilAccepted(rows: readonly PreparedRow[]): Promise<PreparedRow[]> {
    if (rows.length > 1 && bodySize(rows) > MAX_BODY_BYTES) {
      const half = Math.ceil(rows.length / 2);
      return [
        ...(await this.sendUntilAccepted(rows.slice(0, half))),
        ...(await this.sendUntilAccepted(rows.slice(half))),
      ];
    }
    const deferred: PreparedRow[] = [];
    let pending = rows;
    while (pending.length > 0) {
      this.counts.calls++;
      const outcome = await this.client.bulk(
        this.mapping.kind,
        pending.map((r) => r.input),
      );
      if (outcome.ok) {
        this.add(outcome.counts);
        this.counts.landed += pending.length;
        break;
      }
      if (outcome.issues.size === 0) {
        throw new ImportAborted(
          `the API refused a batch without naming an item (lines ${pending[0]!.line}–${pending[pending.length - 1]!.line}): ${outcome.unplaced.join('; ')}`,
        );
      }
      const keep: PreparedRow[] = [];
      for (const [i, row] of pending.entries()) {
        const issues = outcome.issues.get(i);
        if (!issues) keep.push(row);
        else if (issues.every((issue) => IN_CALL_DUPLICATE.test(issue.message))) deferred.push(row);
        else
          await this.reject({
            line: row.line,
            values: row.values,
            reasons: this.describe(row, issues),
          });
      }
      if (keep.length === pending.length) {
        // The issues name no item of this call: sending it again would be refused again.
        throw new ImportAborted(
          `the API refused a batch (lines ${pending[0]!.line}–${pending[pending.length - 1]!.line}) naming items it does not have: ${JSON.stringify([...outcome.issues])}`,
        );
      }
      pending = keep;
    }
    return deferred;
  }

  /** API issues in the user's terms: the CSV column the field's value came from. */
  private describe(row: PreparedRow, issues: readonly ItemIssue[]): string[] {
    return issues.map(({ field, message }) => {
      if (!field) return message;
      const top = field.split('.')[0]!;
      const column =
        row.sources.get(field) ??
        [...row.sources].find(([f]) => f.split('.')[0] === top)?.[1] ??
        this.mapping.columns.find((c) => c.field === field)?.header;
      return `${column ?? field}: ${message}`;
    });
  }

  private add(c: BulkCounts): void {
    this.counts.created += c.created;
    this.counts.updated += c.updated;
    this.counts.accountsCreated += c.accountsCreated;
    this.counts.accepted += c.accepted;
    this.counts.duplicates += c.duplicates;
    this.counts.contactsCreated += c.contactsCreated;
    this.counts.scoringDelayed ||= c.scoringDelayed;
  }
}

function bodySize(rows: readonly PreparedRow[]): number {
  let bytes = 0;
  for (const row of rows) bytes += Buffer.byteLength(JSON.stringify(row.input));
  return bytes;
}
