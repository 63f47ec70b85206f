import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testRedisUrl } from '../database-url';
import { freePort } from '../processes';
import { killOnExit } from './process-registry';

/**
 * A Redis server of the test's own, on a port of its own, that a test may shut down, restart
 * and flush. Nothing here ever talks to the shared Redis (`testRedisUrl()`): every command goes
 * to `port`, which is refused when it is the shared server's.
 */
export interface TestRedisServer {
  readonly port: number;
  readonly url: string;
  /** True while the server process started by `start()` is running. */
  isRunning(): boolean;
  /** Starts the server (empty: no RDB, no AOF) and resolves once it accepts connections. */
  start(): Promise<void>;
  /** `SHUTDOWN NOSAVE` through redis-cli; resolves once the process has exited. */
  shutdown(): Promise<void>;
  /** SIGKILL: the server dies at once, as in a crash or an OOM kill; resolves once it has. */
  kill(): Promise<void>;
  /** `FLUSHALL` through redis-cli. */
  flushAll(): Promise<void>;
  /** `DBSIZE` through redis-cli. */
  dbSize(): Promise<number>;
  /** `CLIENT LIST` through redis-cli: the name and last command of each connection. */
  clients(): Promise<{ name: string; cmd: string }[]>;
  /** Stops the server if it runs (SIGKILL after 3 s) and removes its directory. */
  close(): Promise<void>;
  output(): string;
}

export async function startRedisServer(): Promise<TestRedisServer> {
  const port = await freePort();
  const shared = Number(new URL(testRedisUrl()).port || 6379);
  if (port === shared || port === 6379) {
    throw new Error(`refusing to manage a Redis server on the shared port ${port}`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), `quorum-fault-redis-${port}-`));
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let out = '';

  const cli = (...args: string[]) =>
    new Promise<string>((resolve, reject) => {
      execFile(
        'redis-cli',
        ['-h', '127.0.0.1', '-p', String(port), ...args],
        { timeout: 5_000 },
        (error, stdout, stderr) =>
          error
            ? reject(new Error(`redis-cli ${args.join(' ')}: ${stderr || error.message}`))
            : resolve(stdout.trim()),
      );
    });

  const server: TestRedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    isRunning: () => child !== null && child.exitCode === null && child.signalCode === null,
    async start() {
      if (server.isRunning()) throw new Error(`Redis on port ${port} is already running`);
      const proc = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--daemonize',
          'no',
          '--dir',
          dir,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child = proc;
      const unregister = killOnExit(proc);
      exited = new Promise((resolve) =>
        proc.on('exit', () => {
          unregister();
          resolve();
        }),
      );
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`redis-server on port ${port} did not start:\n${out}`)),
          10_000,
        );
        const onData = (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('Ready to accept connections')) {
            clearTimeout(timer);
            resolve();
          }
        };
        proc.stdout!.on('data', onData);
        proc.stderr!.on('data', onData);
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`redis-server on port ${port} exited while starting:\n${out}`));
        });
      });
    },
    async shutdown() {
      if (!server.isRunning()) return;
      // redis-cli reports the dropped connection as an error: the exit is what counts.
      await cli('shutdown', 'nosave').catch(() => undefined);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (server.isRunning()) throw new Error(`Redis on port ${port} did not shut down`);
    },
    async kill() {
      if (!server.isRunning()) return;
      child!.kill('SIGKILL');
      await exited;
    },
    async flushAll() {
      const reply = await cli('flushall');
      if (reply !== 'OK') throw new Error(`FLUSHALL on port ${port} answered ${reply}`);
    },
    async dbSize() {
      return Number(await cli('dbsize'));
    },
    async clients() {
      const list = await cli('client', 'list');
      return list
        .split('\n')
        .filter(Boolean)
        .map((line) => ({
          name: /(?:^| )name=(\S*)/.exec(line)?.[1] ?? '',
          cmd: /(?:^| )cmd=(\S*)/.exec(line)?.[1] ?? '',
        }));
    },
    async close() {
      if (server.isRunning()) {
        child!.kill('SIGTERM');
        const timer = setTimeout(() => child?.kill('SIGKILL'), 3_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
    output: () => out,
  };
  await server.start();
  return server;
}
