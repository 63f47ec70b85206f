import type { ChildProcess } from 'node:child_process';

/**
 * The last line of defence for cleanup: every child a fault test starts is registered here and
 * killed (SIGKILL) if the test process exits without having stopped it, e.g. on a crash or a
 * timeout that skipped the test's own cleanup.
 */
const live = new Set<ChildProcess>();
let installed = false;

function killAll(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
}

/** Registers a child; the returned function unregisters it (call it once it has exited). */
export function killOnExit(child: ChildProcess): () => void {
  if (!installed) {
    installed = true;
    process.once('exit', killAll);
  }
  live.add(child);
  return () => live.delete(child);
}
