/** How long a drain may take before the process gives up and exits anyway. */
export const SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits; a second signal exits at once. A drain
 * that cannot finish (e.g. BullMQ waiting on an unreachable Redis) is cut off at the
 * deadline with exit code 1, so an orchestrator never has to force-kill the process.
 */
export function onShutdownSignal(
  stop: () => Promise<void>,
  log: (line: string) => void = console.log,
  deadlineMs = SHUTDOWN_DEADLINE_MS,
): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    log(`${signal} received: draining and shutting down`);
    setTimeout(() => {
      log(`shutdown did not finish within ${deadlineMs} ms; exiting`);
      process.exit(1);
    }, deadlineMs).unref();
    stop().then(
      () => process.exit(0),
      (error) => {
        console.error('Shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
