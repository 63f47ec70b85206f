import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningProcess {
  child: ChildProcess;
  output(): string;
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

/** Starts a built app (`apps/<name>/dist/main.js`) as its own process, as a user would. */
export function startProcess(script: string, env: Record<string, string>): RunningProcess {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, script)], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Output is kept whole (tests read it), but matched incrementally: a child that logs
  // thousands of lines a second must not make this process rescan everything per chunk, or
  // it stops reading the pipe and the child blocks on its own logging.
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const check of [...waiters]) check();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => out,
    waitFor(text, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        // A string is searched only where it could newly match: not wholly before the last
        // (length - 1) characters already searched. A pattern may span lines, so it is
        // tested on the whole output (few waiters use one, and only while they wait).
        let from = 0;
        const matches = () => {
          if (typeof text !== 'string') return text.test(out);
          const found = out.includes(text, from);
          from = Math.max(0, out.length - text.length + 1);
          return found;
        };
        if (matches()) return resolve();
        const done = () => {
          waiters.delete(check);
          clearTimeout(timer);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out waiting for ${text}; output:\n${out}`));
        }, timeoutMs);
        const check = () => {
          if (!matches()) return;
          done();
          resolve();
        };
        waiters.add(check);
        void exited.then(() => {
          if (!waiters.has(check)) return;
          done();
          if (matches()) resolve();
          else reject(new Error(`process exited before ${text}; output:\n${out}`));
        });
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}
