import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { printQuorumSchema } from './print-schema';

const SCHEMA_FILE = path.resolve(__dirname, '../../../../schema.graphql');

describe('schema.graphql', () => {
  it('matches the schema built from the code', async () => {
    const fromCode = await printQuorumSchema();
    const checkedIn = readFileSync(SCHEMA_FILE, 'utf8');
    expect(
      checkedIn,
      'schema.graphql differs from the schema the code builds: run `npm run regenerate` (schema:export, then codegen) and commit the result',
    ).toBe(fromCode);
  });
});
