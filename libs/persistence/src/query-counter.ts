import { AbstractLogger, type LogLevel, type LogMessage } from 'typeorm';

// Each workspace-scoped read is wrapped in BEGIN (with the workspace) and COMMIT.
const TRANSACTION_CONTROL =
  /^\s*(BEGIN|START TRANSACTION|COMMIT|ROLLBACK|SELECT set_config\('quorum\.workspace_id')/i;

/** Counts SQL statements (not transaction control), so tests can prove that loaders keep query counts flat. */
export class QueryCounter extends AbstractLogger {
  count = 0;

  override logQuery(query: string): void {
    if (!TRANSACTION_CONTROL.test(query)) this.count += 1;
  }

  protected writeLog(_level: LogLevel, _message: LogMessage | LogMessage[]): void {}
}
