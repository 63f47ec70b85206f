import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { printQuorumSchema } from '../schema/print-schema';

/** Writes the schema partners build against (`schema.graphql` at the repo root by default). */
async function main(): Promise<void> {
  const target = path.resolve(process.argv[2] ?? 'schema.graphql');
  writeFileSync(target, await printQuorumSchema());
  console.log(`Wrote ${path.relative(process.cwd(), target) || target}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
