import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { testDatabaseBaseUrl } from '../database-url';
import { freePort } from '../processes';
import { killOnExit } from './process-registry';

const run = promisify(execFile);

/**
 * A PostgreSQL server of the test's own (initdb into a temporary directory, a free port), that a
 * test may crash and restart. The shared server (`testDatabaseBaseUrl()`) is never touched.
 * PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user.
 */
export interface TestPostgresServer {
  readonly port: number;
  /** The server's `postgres` database as the superuser `postgres` (trust authentication). */
  readonly url: string;
  isRunning(): boolean;
  /** Starts the server and resolves once it accepts connections. */
  start(): Promise<void>;
  /**
   * Stops the server: `immediate` is a crash (SIGQUIT: no checkpoint, crash recovery at the next
   * start), `fast` what an orchestrator's stop does (SIGINT: transactions rolled back, clients
   * told "terminating connection due to administrator command").
   */
  stop(mode: 'immediate' | 'fast'): Promise<void>;
  /** Stops the server if it runs and removes its directory. */
  close(): Promise<void>;
  output(): string;
}

/** The uid/gid PostgreSQL runs under: this process's, or `postgres`'s when this is root. */
async function serverUser(): Promise<{ uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null;
  const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
  return { uid: await id('-u'), gid: await id('-g') };
}

/** The directory of `initdb` and `postgres`: PATH, or Debian's versioned directory. */
async function binDir(): Promise<string> {
  try {
    const { stdout } = await run('pg_config', ['--bindir']);
    return stdout.trim();
  } catch {
    return '';
  }
}

export async function startPostgresServer(): Promise<TestPostgresServer> {
  const port = await freePort();
  const shared = Number(new URL(testDatabaseBaseUrl()).port || 5432);
  if (port === shared || port === 5432) {
    throw new Error(`refusing to manage a PostgreSQL server on the shared port ${port}`);
  }
  const user = await serverUser();
  const bin = await binDir();
  const exe = (name: string) => (bin ? path.join(bin, name) : name);
  const dir = mkdtempSync(path.join(tmpdir(), `quorum-fault-pg-${port}-`));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  await run(
    exe('initdb'),
    ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions'],
    { ...(user ?? {}), env: { PATH: process.env['PATH'] ?? '', LANG: 'C' }, timeout: 60_000 },
  ).catch((error: Error & { stderr?: string }) => {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `initdb as ${user ? 'postgres' : userInfo().username} failed: ${error.stderr ?? error.message}`,
    );
  });

  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let out = '';

  const server: TestPostgresServer = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    isRunning: () => child !== null && child.exitCode === null && child.signalCode === null,
    async start() {
      if (server.isRunning()) throw new Error(`PostgreSQL on port ${port} is already running`);
      const proc = spawn(
        exe('postgres'),
        [
          '-D',
          data,
          '-p',
          String(port),
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          `unix_socket_directories=${dir}`,
          '-c',
          'fsync=off',
          '-c',
          'full_page_writes=off',
          '-c',
          'shared_buffers=32MB',
          '-c',
          'max_connections=60',
          '-c',
          'logging_collector=off',
        ],
        { ...(user ?? {}), stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child = proc;
      const unregister = killOnExit(proc);
      exited = new Promise((resolve) =>
        proc.on('exit', () => {
          unregister();
          resolve();
        }),
      );
      const started = out.length;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`PostgreSQL on port ${port} did not start:\n${out.slice(started)}`)),
          30_000,
        );
        const onData = (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('database system is ready to accept connections', started)) {
            clearTimeout(timer);
            resolve();
          }
        };
        proc.stdout!.on('data', onData);
        proc.stderr!.on('data', onData);
        void exited.then(() => {
          clearTimeout(timer);
          reject(
            new Error(`PostgreSQL on port ${port} exited while starting:\n${out.slice(started)}`),
          );
        });
      });
    },
    async stop(mode) {
      if (!server.isRunning()) return;
      child!.kill(mode === 'immediate' ? 'SIGQUIT' : 'SIGINT');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
    async close() {
      await server.stop('immediate');
      rmSync(dir, { recursive: true, force: true });
    },
    output: () => out,
  };
  try {
    await server.start();
  } catch (error) {
    await server.close();
    throw error;
  }
  return server;
}
