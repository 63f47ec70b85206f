import { followAccountChanges } from './follow-account-changes';
import { formatChange } from './format-change';
import { OptionsError, parseOptions, USAGE } from './options';
import { StateFile } from './state-file';

const log = (message: string) => console.error(`[partner-example] ${message}`);

async function main(): Promise<number> {
  let options;
  let state: StateFile;
  try {
    options = parseOptions(process.argv.slice(2), process.env);
    state = new StateFile(options.stateFile);
  } catch (error) {
    log((error as Error).message);
    if (error instanceof OptionsError) console.error(USAGE);
    return 2;
  }
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping`);
    stop.abort();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const { json, topReasons } = options;
  try {
    await followAccountChanges({
      connection: options.connection,
      lastEventId: () => state.lastEventId,
      // Printed, then saved: a crash between the two repeats one line; SIGTERM never
      // lands between them, as both are synchronous.
      onChange: (change) => {
        process.stdout.write(`${formatChange(change, { json, top: topReasons })}\n`);
        state.save(change.eventId);
      },
      log,
      signal: stop.signal,
    });
  } catch (error) {
    log(`stopped: ${(error as Error).message}`);
    return 1;
  }
  log(`stopped; last event ${state.lastEventId ?? 'none'} saved in ${state.path}`);
  return 0;
}

void main().then((code) => {
  process.exitCode = code;
});
