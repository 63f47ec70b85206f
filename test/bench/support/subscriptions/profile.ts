import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * CPU profiles of the API and the worker (BENCH_CPU_PROFILE=1): a preload (NODE_OPTIONS
 * --require; --cpu-prof is not allowed there) starts V8's profiler; the first SIGUSR2 restarts
 * it (the window opens), the second writes `<dir>/CPU.<pid>.cpuprofile`.
 */
export function writeProfilerPreload(dir: string): string {
  const file = path.join(dir, 'subs-profile-preload.cjs');
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
process.on('SIGUSR2', () => {
  signals += 1;
  if (signals === 1) session.post('Profiler.stop', () => session.post('Profiler.start'));
  else if (signals === 2)
    session.post('Profiler.stop', (error, result) => {
      if (!error) fs.writeFileSync(${JSON.stringify(dir)} + '/CPU.' + process.pid + '.cpuprofile', JSON.stringify(result.profile));
    });
});
`,
  );
  return file;
}

/** Summarises a V8 .cpuprofile. */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled ms in the window, and of those idle. */
  totalMs: number;
  idleMs: number;
  byArea: [string, number][];
  topFunctions: [string, number][];
}

/** The package (node_modules/<pkg>), the workspace project, or a runtime bucket. */
function areaOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const project = /\/((?:apps|libs)\/[^/]+)\//.exec(url);
  if (project) return project[1]!;
  if (url.startsWith('node:')) return 'node (core)';
  return '(other)';
}

export function profileFile(dir: string, pid: number): string | undefined {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile') && f.includes(`.${pid}.`));
  return file && path.join(dir, file);
}

export function summariseProfile(file: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    const node = byId.get(profile.samples[i]!);
    if (!node) continue;
    const ms = delta / 1000;
    total += ms;
    const frame = node.callFrame;
    if (frame.functionName === '(idle)') {
      idle += ms;
      continue;
    }
    const area = areaOf(frame);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    const where = frame.url ? `${path.basename(frame.url)}:${frame.lineNumber + 1}` : '';
    const name = `${frame.functionName || '(anonymous)'} ${area}${where ? ` ${where}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + ms);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return { totalMs: total, idleMs: idle, byArea: sorted(areas), topFunctions: sorted(functions) };
}
