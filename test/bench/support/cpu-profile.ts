import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileSummary {
  file: string;
  /** Sampled milliseconds of this process's CPU while `run` ran, by where the code lives. */
  byArea: { area: string; ms: number; share: number }[];
  /** The functions with the most self time. */
  topFunctions: { name: string; ms: number; share: number }[];
  wallMs: number;
}

/** The package (node_modules/<pkg>), the workspace project (apps/api, libs/x) or a runtime area. */
function areaOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === '(garbage collector)') return '(garbage collector)';
    if (functionName === '(idle)' || functionName === '(program)' || functionName === '(root)') {
      return functionName;
    }
    return '(native)';
  }
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const ws = /\/work\/[^/]+\/((?:apps|libs)\/[^/]+|test|migrations)\//.exec(url);
  if (ws) return ws[1]!;
  return url
    .replace(/^file:\/\//, '')
    .split('/')
    .slice(-2)
    .join('/');
}

/** Samples this process's CPU while `run` runs, and sums self time by area and by function. */
export async function profileCpu(
  label: string,
  run: () => Promise<void>,
  options: { intervalMicros?: number; top?: number } = {},
): Promise<ProfileSummary> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: options.intervalMicros ?? 200 });
    await session.post('Profiler.start');
    const started = performance.now();
    await run();
    const wallMs = performance.now() - started;
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
    const file = join(tmpdir(), `${label}-${process.pid}-${Date.now()}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));

    // Each sample stands for an equal share of the profiled time. (Charging each sample its own
    // time delta instead would, on a loaded machine, charge a descheduled gap to whatever ran
    // just before it.)
    const samples = profile.samples ?? [];
    const perSample = samples.length
      ? (profile.endTime - profile.startTime) / 1000 / samples.length
      : 0;
    const selfMs = new Map<number, number>();
    for (const id of samples) selfMs.set(id, (selfMs.get(id) ?? 0) + perSample);
    const byArea = new Map<string, number>();
    const byFunction = new Map<string, number>();
    let busy = 0;
    for (const node of profile.nodes) {
      const ms = selfMs.get(node.id) ?? 0;
      if (ms === 0) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      const area = areaOf(url, functionName);
      byArea.set(area, (byArea.get(area) ?? 0) + ms);
      if (area === '(idle)' || area === '(program)' || area === '(root)') continue;
      busy += ms;
      const name = `${functionName || '(anonymous)'} ${area}${url ? `:${lineNumber + 1}` : ''}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    }
    const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
    return {
      file,
      wallMs,
      byArea: sorted(byArea).map(([area, ms]) => ({ area, ms, share: ms / wallMs })),
      topFunctions: sorted(byFunction)
        .slice(0, options.top ?? 15)
        .map(([name, ms]) => ({ name, ms, share: busy ? ms / busy : 0 })),
    };
  } finally {
    await session.post('Profiler.disable').catch(() => undefined);
    session.disconnect();
  }
}
