import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Summarises V8 .cpuprofile files (written by the preload below when a process exits):
 * self time by where the code lives (a package in node_modules, one of our libs or apps,
 * Node's internals, the garbage collector) and the functions with the most self time.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  window?: string;
}

export interface ProfileSummary {
  file: string;
  window: string;
  totalMs: number;
  idleMs: number;
  byArea: [string, number][];
  topFunctions: [string, number][];
}

function areaOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === '(garbage collector)') return 'garbage collector';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'V8/native (program)';
    return `native ${functionName || '(anonymous)'}`;
  }
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  const ours = /\/(apps|libs)\/([^/]+)\//.exec(url);
  if (ours) return `quorum ${ours[1]}/${ours[2]}`;
  if (url.startsWith('node:')) return 'node internals';
  return url;
}

export function summariseProfile(file: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const area = areaOf(url, functionName);
    if (area === 'idle') {
      idleUs += us;
      continue;
    }
    totalUs += us;
    areas.set(area, (areas.get(area) ?? 0) + us);
    const where = url ? `${path.basename(url)}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where} [${area}]`;
    functions.set(key, (functions.get(key) ?? 0) + us);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => [k, us / 1000] as [string, number]);
  return {
    file,
    window: profile.window ?? 'whole life',
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    byArea: top(areas, 12),
    topFunctions: top(functions, 15),
  };
}

/** The newest profile in `dir` whose name contains the process id. */
export function profileOf(dir: string, pid: number): string | undefined {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile') && f.includes(`.${pid}.`))
    .map((f) => path.join(dir, f))
    .at(-1);
}

/**
 * Writes a preload script (for NODE_OPTIONS="--require <it>") that profiles a Node process
 * with the inspector. The first SIGUSR2 restarts the profile (drops what came before), the
 * second writes `CPU.<pid>.cpuprofile` into `dir`: the window between the two signals. A
 * process that exits before the second signal writes its profile so far.
 * (`--cpu-prof` itself is not allowed in NODE_OPTIONS.)
 */
export function writeProfilerPreload(dir: string): string {
  const file = path.join(dir, 'profile-preload.cjs');
  writeFileSync(
    file,
    `const inspector = require('node:inspector');
const fs = require('node:fs');
const session = new inspector.Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 1000 });
session.post('Profiler.start');
let signals = 0;
let written = false;
const write = (window) =>
  session.post('Profiler.stop', (error, result) => {
    if (error || written) return;
    written = true;
    result.profile.window = window;
    fs.writeFileSync(${JSON.stringify(dir)} + '/CPU.' + process.pid + '.cpuprofile', JSON.stringify(result.profile));
  });
process.on('SIGUSR2', () => {
  signals += 1;
  if (signals === 1) session.post('Profiler.stop', () => session.post('Profiler.start'));
  else write('between signals');
});
process.on('exit', () => write(signals === 0 ? 'whole life' : 'from the first signal to exit'));
`,
  );
  return file;
}
