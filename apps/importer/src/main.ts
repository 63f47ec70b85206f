import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseCliArgs, USAGE, UsageError } from './cli-args';
import { MappingError, parseMapFlags, parseMappingJson } from './column-mapping';
import { runImport } from './run-import';
import { summaryText } from './summary-text';

/** Exit codes: 0 all rows landed, 2 some rows rejected, 1 the import could not run or stopped. */
async function main(): Promise<number> {
  const options = parseCliArgs(process.argv.slice(2), process.env);
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  // `npm run import` runs in the repository root; paths are the caller's.
  const cwd = process.env['INIT_CWD'] ?? process.cwd();
  const file = path.resolve(cwd, options.file);
  let overrides = {};
  if (options.mappingFile) {
    const mappingPath = path.resolve(cwd, options.mappingFile);
    overrides = parseMappingJson(await readFile(mappingPath, 'utf8'), options.mappingFile);
  }
  overrides = { ...overrides, ...parseMapFlags(options.maps) };

  const summary = await runImport({
    kind: options.kind,
    file,
    url: options.url,
    key: options.key,
    overrides,
    attributes: options.attributes,
    rejectsPath: options.rejectsPath ? path.resolve(cwd, options.rejectsPath) : undefined,
    delimiter: options.delimiter,
    batchSize: options.batchSize,
    concurrency: options.concurrency,
    maxRateLimitWaitMs: options.maxRateLimitWaitMs,
    progress: !options.quiet && !options.json && process.stderr.isTTY === true,
    log: (line) => console.error(line),
  });
  console.log(options.json ? JSON.stringify(summary) : summaryText(summary));
  if (summary.aborted) return 1;
  return summary.rejected > 0 ? 2 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
    else if (error instanceof MappingError) console.error(`Mapping: ${error.message}`);
    else if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      console.error(`File not found: ${(error as NodeJS.ErrnoException).path}`);
    else console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
