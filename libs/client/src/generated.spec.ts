import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { format, resolveConfig } from 'prettier';
import { describe, expect, it } from 'vitest';
import config from '../codegen';

const REPO_ROOT = path.resolve(__dirname, '../../..');

describe('the generated client', () => {
  it('matches what codegen makes from schema.graphql and the operation documents', async () => {
    // Same config as `npm run codegen`, without writing files or running the prettier hook.
    const outputs = await generate({ ...config, hooks: {}, cwd: REPO_ROOT }, false);
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      const file = path.resolve(REPO_ROOT, output.filename);
      const expected = await format(output.content, {
        ...(await resolveConfig(file)),
        filepath: file,
      });
      expect(
        readFileSync(file, 'utf8'),
        `${output.filename} differs from what codegen makes: run \`npm run codegen\` (or \`npm run regenerate\` after a schema change) and commit the result`,
      ).toBe(expected);
    }
  }, 30_000);
});
