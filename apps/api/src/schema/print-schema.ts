import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildQuorumSchema } from './build-schema';

export const SCHEMA_FILE_HEADER =
  '# Generated from apps/api by `npm run schema:export`: do not edit by hand.\n\n';

/** The schema as SDL, sorted so that reordering resolvers or fields changes nothing. */
export async function printQuorumSchema(): Promise<string> {
  const schema = lexicographicSortSchema(await buildQuorumSchema());
  return `${SCHEMA_FILE_HEADER}${printSchema(schema)}\n`;
}
