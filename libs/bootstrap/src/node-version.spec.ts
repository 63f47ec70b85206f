import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { supportedNodeRange, unsupportedNode } from './node-version';

const root = path.resolve(__dirname, '../../..');

describe('the Node.js versions Quorum runs on', () => {
  it('are read from package.json "engines"', () => {
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(supportedNodeRange()).toBe(manifest.engines.node);
    expect(supportedNodeRange()).toBe('>=20.19');
  });

  it('stop a process on an older Node.js with one line naming both versions', () => {
    expect(unsupportedNode('v20.18.3', '>=20.19')).toBe(
      'Quorum needs Node.js >=20.19 (package.json "engines"), but this is v20.18.3. Install a supported Node.js and run it again.',
    );
    expect(unsupportedNode('v18.20.0', '>=20.19')).toMatch(/needs Node\.js >=20\.19/);
    expect(unsupportedNode('v20.19.0', '>=20.19')).toBeNull();
    expect(unsupportedNode('v22.12.0', '>=20.19')).toBeNull();
    expect(unsupportedNode(process.version)).toBeNull();
  });

  it('are supported by every locked dependency (no EBADENGINE on `npm ci`)', () => {
    const oldest = semver.minVersion(supportedNodeRange()!)!.version;
    const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
    };
    const unsupported = Object.entries(lock.packages)
      .filter(([, p]) => {
        const node = !Array.isArray(p.engines) ? p.engines?.node : undefined;
        return node !== undefined && !semver.satisfies(oldest, node);
      })
      .map(
        ([name, p]) => `${name}@${p.version} wants node ${(p.engines as { node: string }).node}`,
      );
    expect(unsupported).toEqual([]);
  });
});
