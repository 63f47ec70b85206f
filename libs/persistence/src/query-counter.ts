import { AbstractLogger, type LogLevel, type LogMessage } from 'typeorm';

/** Counts SQL statements, so tests can prove that loaders keep query counts flat. */
export class QueryCounter extends AbstractLogger {
  count = 0;

  override logQuery(): void {
    this.count += 1;
  }

  protected writeLog(_level: LogLevel, _message: LogMessage | LogMessage[]): void {}
}
