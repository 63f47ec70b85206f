import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args';

describe('parseCliArgs', () => {
  it('reads the kind, the file and every flag', () => {
    expect(
      parseCliArgs(
        [
          'contacts',
          'export.csv',
          '--workspace-key',
          'qk_1',
          '--url',
          'http://quorum:4000/graphql',
          '--map',
          'E-mail Address=email',
          '--map',
          'Role=title',
          '--mapping',
          'm.json',
          '--batch-size',
          '250',
          '--attributes',
          '--json',
        ],
        {},
      ),
    ).toEqual({
      kind: 'contacts',
      file: 'export.csv',
      key: 'qk_1',
      url: 'http://quorum:4000/graphql',
      mappingFile: 'm.json',
      maps: ['E-mail Address=email', 'Role=title'],
      attributes: true,
      rejectsPath: null,
      delimiter: ',',
      batchSize: 250,
      concurrency: 1,
      maxRateLimitWaitMs: 600_000,
      json: true,
      quiet: false,
    });
  });

  it('takes the key from QUORUM_API_KEY and defaults the URL', () => {
    const options = parseCliArgs(['accounts', 'a.csv'], { QUORUM_API_KEY: 'qk_env' });
    expect(options).toMatchObject({
      key: 'qk_env',
      url: 'http://localhost:4000/graphql',
      batchSize: 1000,
    });
  });

  it('names what is wrong with the command line', () => {
    expect(() => parseCliArgs(['leads', 'a.csv', '--workspace-key', 'k'], {})).toThrow(
      /one of accounts, contacts, activities \(got "leads"\)/,
    );
    expect(() => parseCliArgs(['accounts', '--workspace-key', 'k'], {})).toThrow(
      /give the CSV file/,
    );
    expect(() => parseCliArgs(['accounts', 'a.csv'], {})).toThrow(/--workspace-key/);
    expect(() =>
      parseCliArgs(['accounts', 'a.csv', '--workspace-key', 'k', '--batch-size', '5000'], {}),
    ).toThrow(/--batch-size must be a whole number from 1 to 1000/);
    expect(() =>
      parseCliArgs(['accounts', 'a.csv', '--workspace-key', 'k', '--colour'], {}),
    ).toThrow(/Unknown option '--colour'/);
    expect(parseCliArgs(['-h'], {})).toBe('help');
    expect(() =>
      parseCliArgs(['accounts', 'a.csv', '--workspace-key', 'k', '--delimiter', ';;'], {}),
    ).toThrow(/--delimiter must be one character, or "tab"/);
    expect(() =>
      parseCliArgs(['accounts', 'a.csv', '--workspace-key', 'k', '--max-rate-limit-wait', '0'], {}),
    ).toThrow(/--max-rate-limit-wait must be a number of minutes above 0/);
    expect(
      parseCliArgs(
        ['accounts', 'a.csv', '--workspace-key', 'k', '--max-rate-limit-wait', '2.5'],
        {},
      ),
    ).toMatchObject({ maxRateLimitWaitMs: 150_000 });
  });
});
