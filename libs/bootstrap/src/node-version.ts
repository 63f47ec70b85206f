import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';

/**
 * The Node.js versions Quorum supports: `engines.node` of the repository's package.json (three
 * levels up from this file, in src/ as in dist/).
 */
export function supportedNodeRange(): string | null {
  try {
    const manifest = JSON.parse(
      readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'),
    ) as { name?: string; engines?: { node?: string } };
    return manifest.name === 'quorum' ? (manifest.engines?.node ?? null) : null;
  } catch {
    return null;
  }
}

/** One line saying why this Node.js cannot run Quorum, or null when it can. */
export function unsupportedNode(
  version: string = process.version,
  range: string | null = supportedNodeRange(),
): string | null {
  if (!range || semver.satisfies(version, range)) return null;
  return `Quorum needs Node.js ${range} (package.json "engines"), but this is ${version}. Install a supported Node.js and run it again.`;
}
