import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { WriteCoalescer } from './write-coalescer';

interface Connected {
  server: WebSocketServer;
  client: WebSocket;
  socket: WebSocket;
  /** Writes the server's socket handed to the kernel, and the messages in each. */
  writes: number[];
  received: string[];
}

async function connect(maxUnflushedBytes: number): Promise<Connected> {
  const server = new WebSocketServer({ port: 0 });
  const coalescer = new WriteCoalescer(maxUnflushedBytes);
  const writes: number[] = [];
  const accepted = new Promise<WebSocket>((resolve) =>
    server.on('connection', (socket, request) => {
      const raw = request.socket as Socket & {
        _write: (...args: unknown[]) => void;
        _writev: (chunks: unknown[], ...rest: unknown[]) => void;
      };
      const write = raw._write.bind(raw);
      const writev = raw._writev.bind(raw);
      // ws writes a frame as a header and a payload (or as one buffer when small).
      raw._write = (...args) => {
        writes.push(1);
        write(...args);
      };
      raw._writev = (chunks, ...rest) => {
        writes.push(chunks.length);
        writev(chunks, ...rest);
      };
      coalescer.coalesce(socket, raw);
      resolve(socket);
    }),
  );
  await new Promise((resolve) => server.once('listening', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const received: string[] = [];
  client.on('message', (data) => received.push(String(data)));
  await new Promise((resolve) => client.once('open', resolve));
  return { server, client, socket: await accepted, writes, received };
}

const sent = (socket: WebSocket, data: string) =>
  new Promise<void>((resolve, reject) =>
    socket.send(data, (error) => (error ? reject(error) : resolve())),
  );

describe('WriteCoalescer', () => {
  let open: Connected | undefined;
  afterEach(async () => {
    open?.client.terminate();
    await new Promise((resolve) => open?.server.close(resolve));
    open = undefined;
  });

  it('hands what a connection is sent in one turn to the kernel in one write, in order', async () => {
    open = await connect(64 * 1024);
    const { socket, client, writes, received } = open;
    // As graphql-ws does: each send waits for the previous one's callback.
    const all = (async () => {
      for (let i = 0; i < 10; i++) await sent(socket, `event ${i}`);
    })();
    await all;
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => {
      const check = () => (received.length === 10 ? resolve() : setTimeout(check, 5));
      check();
    });
    expect(received).toEqual(Array.from({ length: 10 }, (_, i) => `event ${i}`));
    expect(writes).toHaveLength(1);
    expect(client.readyState).toBe(WebSocket.OPEN);
  });

  it('reports a send done only once written when too much is waiting for the kernel', async () => {
    open = await connect(1024);
    const { socket, client } = open;
    client.pause();
    const big = 'x'.repeat(64 * 1024);
    let done = 0;
    // Fill the kernel's buffers: the sends that find more than 1 KB waiting stay pending.
    for (let i = 0; i < 200; i++) void sent(socket, big).then(() => done++);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(socket.bufferedAmount).toBeGreaterThan(1024);
    expect(done).toBeLessThan(200);
    client.resume();
    await new Promise<void>((resolve) => {
      const check = () => (done === 200 ? resolve() : setTimeout(check, 5));
      check();
    });
    expect(done).toBe(200);
  });
});
