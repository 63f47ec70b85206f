import { describe, expect, it } from 'vitest';
import { OptionsError, parseOptions } from './options';

const env = { QUORUM_URL: 'http://localhost:4000/graphql', QUORUM_API_KEY: 'qk_123' };

describe('parseOptions', () => {
  it('reads the connection from the environment and the rest from flags or environment', () => {
    expect(parseOptions([], env)).toEqual({
      connection: { url: env.QUORUM_URL, apiKey: 'qk_123' },
      stateFile: 'partner-state.json',
      json: false,
      topReasons: 3,
    });
    const fromEnv = parseOptions([], {
      ...env,
      QUORUM_STATE_FILE: '/s.json',
      QUORUM_OUTPUT: 'json',
    });
    expect(fromEnv).toMatchObject({ stateFile: '/s.json', json: true });
    const fromFlags = parseOptions(['--state-file', '/f.json', '--json', '--top-reasons', '1'], {
      ...env,
      QUORUM_STATE_FILE: '/s.json',
    });
    expect(fromFlags).toMatchObject({ stateFile: '/f.json', json: true, topReasons: 1 });
  });

  it('names what is missing or wrong', () => {
    expect(() => parseOptions([], { QUORUM_API_KEY: 'k' })).toThrow(/QUORUM_URL is not set/);
    expect(() => parseOptions([], { QUORUM_URL: env.QUORUM_URL })).toThrow(
      /QUORUM_API_KEY is not set/,
    );
    expect(() => parseOptions([], { ...env, QUORUM_URL: 'localhost:4000' })).toThrow(
      /QUORUM_URL must start with/,
    );
    expect(() => parseOptions(['--top-reasons', '-1'], env)).toThrow(/--top-reasons/);
    expect(() => parseOptions(['--since', 'x'], env)).toThrow(OptionsError);
  });
});
