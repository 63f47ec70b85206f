import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from '@quorum/observability';

/**
 * /healthz: the process is alive. /readyz: every dependency check passes.
 * /metrics: Prometheus text format, when a registry is given.
 */
export async function startHealthServer(
  port: number,
  ready: () => Promise<Record<string, boolean>>,
  metrics?: Registry,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (req.url === '/readyz') {
      const checks = await ready().catch(() => ({ checks: false }));
      const ok = Object.values(checks).every(Boolean);
      res
        .writeHead(ok ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: ok ? 'ready' : 'not ready', checks }));
      return;
    }
    if (req.url === '/metrics' && metrics) {
      try {
        const body = await metrics.metrics();
        res.writeHead(200, { 'content-type': metrics.contentType }).end(body);
      } catch (error) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end((error as Error).message);
      }
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
