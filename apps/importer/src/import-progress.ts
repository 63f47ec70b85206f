import { Presets, SingleBar } from 'cli-progress';

/**
 * The progress bar on stderr: share of the file's bytes read (which drives the ETA), rows
 * done, rows per second and rows rejected so far. Off when stderr is not a terminal.
 */
export class ImportProgress {
  private readonly bar: SingleBar | null;
  private startedAt = Date.now();
  private note = '';
  private noteUntil = 0;

  constructor(
    private readonly totalBytes: number,
    enabled: boolean,
  ) {
    this.bar = enabled
      ? new SingleBar(
          {
            format:
              '{bar} {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted} | rejected {rejected}{note}',
            etaBuffer: 50,
            fps: 5,
            hideCursor: true,
          },
          Presets.shades_classic,
        )
      : null;
  }

  /** Draws the bar; anything logged after this would break its line. */
  start(): void {
    this.startedAt = Date.now();
    this.bar?.start(Math.max(1, this.totalBytes), 0, { rows: 0, rate: 0, rejected: 0, note: '' });
  }

  update(bytesRead: number, rows: number, rejected: number): void {
    if (!this.bar) return;
    const seconds = Math.max(0.001, (Date.now() - this.startedAt) / 1000);
    const note = Date.now() < this.noteUntil ? this.note : '';
    this.bar.update(bytesRead, { rows, rate: Math.round(rows / seconds), rejected, note });
  }

  get active(): boolean {
    return this.bar !== null;
  }

  /** A short note at the end of the bar (a rate-limit wait) for `ms`. */
  show(note: string, ms: number): void {
    this.note = ` | ${note}`;
    this.noteUntil = Date.now() + ms;
    this.bar?.update({ note: this.note });
  }

  stop(): void {
    this.bar?.stop();
  }
}
