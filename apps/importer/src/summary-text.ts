import type { ImportSummary } from './run-import';

/** The end-of-import summary for a terminal. */
export function summaryText(s: ImportSummary): string {
  const counts =
    s.kind === 'activities'
      ? `accepted ${s.accepted}, duplicates ${s.duplicates}, contacts created ${s.contactsCreated}`
      : `created ${s.created}, updated ${s.updated}` +
        (s.kind === 'contacts' ? `, accounts created ${s.accountsCreated}` : '');
  const lines = [
    `${s.kind} from ${s.file}: ${s.rows} rows in ${(s.elapsedMs / 1000).toFixed(1)} s (${s.rowsPerSecond} rows/s), ${s.calls} calls`,
    `  landed ${s.landed}: ${counts}`,
    s.rejected > 0
      ? `  rejected ${s.rejected}: line numbers and reasons in ${s.rejectsFile}`
      : '  rejected 0',
  ];
  if (s.scoringDelayed)
    lines.push('  scoring delayed: Quorum will score these rows when its queue is back');
  if (s.aborted) lines.push(`  STOPPED before the end of the file: ${s.aborted}`);
  return lines.join('\n');
}
