// `npm start` runs this first (prestart): a Node.js outside package.json's "engines" stops here,
// with one line, before the build. The API and the worker check again when they start.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const semver = createRequire(import.meta.url)('semver');
const { engines } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
if (!semver.satisfies(process.version, engines.node)) {
  process.stderr.write(
    `Quorum needs Node.js ${engines.node} (package.json "engines"), but this is ${process.version}. Install a supported Node.js and run it again.\n`,
  );
  process.exit(1);
}
