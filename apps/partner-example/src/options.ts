import { parseArgs } from 'node:util';
import type { QuorumConnection } from '@quorum/client';

export interface PartnerOptions {
  connection: QuorumConnection;
  /** Holds the last printed event id, so a restart resumes after it. */
  stateFile: string;
  json: boolean;
  /** Reasons printed per change, by impact. */
  topReasons: number;
}

export const USAGE = `Usage: QUORUM_URL=http://localhost:4000/graphql QUORUM_API_KEY=<key with SUBSCRIBE> \\
  node apps/partner-example/dist/main.js [--state-file <path>] [--json] [--top-reasons <n>]

  --state-file   where the last event id is kept (env QUORUM_STATE_FILE; default ./partner-state.json)
  --json         one JSON object per line instead of readable text (env QUORUM_OUTPUT=json)
  --top-reasons  reasons shown per change (default 3)`;

export class OptionsError extends Error {}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): PartnerOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'state-file': { type: 'string' },
        json: { type: 'boolean' },
        'top-reasons': { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new OptionsError((error as Error).message);
  }
  const url = env['QUORUM_URL'];
  const apiKey = env['QUORUM_API_KEY'];
  if (!url) throw new OptionsError('QUORUM_URL is not set (e.g. http://localhost:4000/graphql)');
  if (!/^(https?|wss?):\/\//.test(url)) {
    throw new OptionsError(
      `QUORUM_URL must start with http://, https://, ws:// or wss://, got "${url}"`,
    );
  }
  if (!apiKey) throw new OptionsError('QUORUM_API_KEY is not set (a key with the SUBSCRIBE scope)');
  const top = values['top-reasons'] ?? '3';
  const topReasons = Number(top);
  if (!Number.isInteger(topReasons) || topReasons < 0) {
    throw new OptionsError(`--top-reasons must be a whole number ≥ 0, got "${top}"`);
  }
  return {
    connection: { url, apiKey },
    stateFile: values['state-file'] ?? env['QUORUM_STATE_FILE'] ?? 'partner-state.json',
    json: values.json ?? env['QUORUM_OUTPUT'] === 'json',
    topReasons,
  };
}
