import { createServer, connect, type Server, type Socket } from 'node:net';
import { testDatabaseBaseUrl } from '../database-url';

/**
 * A TCP proxy in front of PostgreSQL for one process under test. It forwards bytes unchanged,
 * except for connections opened while it is armed: for those it holds the server's answer to
 * the start-up (authentication ... ReadyForQuery), has the backend terminated
 * (`pg_terminate_backend`, as an administrator or a failover would), and hands the client the
 * start-up answer and the server's FATAL error in one piece: a connection that PostgreSQL
 * terminates the moment it was established, with no timing left to chance.
 */
export interface PgProxy {
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  urlFor(url: string): string;
  /** The next `count` new connections are terminated as soon as they are established. */
  arm(count: number): void;
  /** How many connections were terminated that way so far. */
  injected(): number;
  close(): Promise<void>;
}

export async function startPgProxy(terminate: (pid: number) => Promise<void>): Promise<PgProxy> {
  const target = new URL(testDatabaseBaseUrl());
  const targetPort = Number(target.port || 5432);
  const sockets = new Set<Socket>();
  let armed = 0;
  let injected = 0;

  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, target.hostname);
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop);
    client.on('data', (chunk) => upstream.write(chunk));

    if (armed === 0) {
      upstream.on('data', (chunk) => client.write(chunk));
      upstream.on('close', drop);
      return;
    }
    armed -= 1;
    // Server messages are a type byte and a length that counts itself but not the type.
    let held = Buffer.alloc(0);
    let pid: number | null = null;
    let terminating = false;
    upstream.on('data', (chunk) => {
      held = Buffer.concat([held, chunk]);
      for (let at = 0; !terminating && at + 5 <= held.length;) {
        const type = String.fromCharCode(held[at]!);
        const length = held.readInt32BE(at + 1);
        if (at + 1 + length > held.length) break;
        if (type === 'K') pid = held.readInt32BE(at + 5);
        if (type === 'Z' && pid !== null) {
          terminating = true;
          void terminate(pid).catch(drop);
        }
        at += 1 + length;
      }
    });
    // The FATAL error has arrived and the server closed: deliver everything at once.
    upstream.on('close', () => {
      if (terminating) {
        injected += 1;
        client.end(held);
      } else drop();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    urlFor(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    arm(count) {
      armed = count;
    },
    injected: () => injected,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
