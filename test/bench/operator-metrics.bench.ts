import { Writable } from 'node:stream';
import { createLogger } from '@quorum/observability';
import { expect, test } from 'vitest';
import { createApiMetrics } from '../../apps/api/src/observability/api-metrics';
import { graphqlMetricsPlugin } from '../../apps/api/src/observability/graphql-metrics.plugin';

const OPERATIONS = 200_000;

/** A stream that drops what it is given: the cost measured is pino's, not the terminal's. */
function discard(): Writable {
  return new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });
}

async function perOperationMicros(logLevel: 'info' | 'silent'): Promise<number> {
  const metrics = createApiMetrics();
  const plugin = graphqlMetricsPlugin(metrics, createLogger('api', logLevel, discard()));
  const names = Array.from({ length: 20 }, (_, i) => `Operation${i}`);
  const contexts = names.map((name) => ({
    operationName: name,
    operation: { operation: 'query', name: { value: name } },
    errors: undefined,
    response: { body: { kind: 'single', singleResult: { data: {} } } },
    // An authenticated request: only those have their operation names counted.
    contextValue: { auth: { workspaceId: 'ws' }, platformAdmin: false },
  }));
  const started = process.hrtime.bigint();
  for (let i = 0; i < OPERATIONS; i += 1) {
    const listener = await plugin.requestDidStart!({} as never);
    await listener!.willSendResponse!(contexts[i % contexts.length] as never);
  }
  const micros = Number(process.hrtime.bigint() - started) / 1_000 / OPERATIONS;
  const text = await metrics.registry.metrics();
  expect(text).toContain('quorum_graphql_operations_total{operation="Operation0"');
  return micros;
}

/**
 * The metrics plugin's own cost per GraphQL operation: a counter, a histogram and one JSON
 * log line, in-process with the hooks called directly (no HTTP, no execution).
 */
test('GraphQL metrics plugin: cost per operation, and a /metrics render', async () => {
  await perOperationMicros('info'); // warm-up
  const withLog = await perOperationMicros('info');
  const silent = await perOperationMicros('silent');
  const metrics = createApiMetrics();
  const plugin = graphqlMetricsPlugin(metrics, createLogger('api', 'silent'));
  for (let i = 0; i < 200; i += 1) {
    const listener = await plugin.requestDidStart!({} as never);
    await listener!.willSendResponse!({
      operationName: `Op${i}`,
      operation: { operation: 'query', name: { value: `Op${i}` } },
      response: { body: { kind: 'single', singleResult: { data: {} } } },
      contextValue: { auth: { workspaceId: 'ws' }, platformAdmin: false },
    } as never);
  }
  const renders = 50;
  const renderStarted = process.hrtime.bigint();
  let bytes = 0;
  for (let i = 0; i < renders; i += 1) bytes = (await metrics.registry.metrics()).length;
  const renderMs = Number(process.hrtime.bigint() - renderStarted) / 1e6 / renders;
  console.log(
    [
      `metrics plugin, per operation: ${withLog.toFixed(2)} µs with its info log line, ${silent.toFixed(2)} µs with logging off (${OPERATIONS.toLocaleString('en-US')} operations, 20 names)`,
      `/metrics render with 200 operation names (the cap): ${renderMs.toFixed(1)} ms, ${(bytes / 1024).toFixed(0)} KiB`,
    ].join('\n'),
  );
});
