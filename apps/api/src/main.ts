import 'reflect-metadata';
import {
  describeStartupError,
  exitWith,
  onShutdownSignal,
  prepareDatabase,
  unreachableServices,
  unsupportedNode,
} from '@quorum/bootstrap';
import { loadConfig, type QuorumConfig } from '@quorum/config';
import { createLogger } from '@quorum/observability';
import type { DataSource } from 'typeorm';
import { startApiServer } from './server';

async function main(): Promise<void> {
  const unsupported = unsupportedNode();
  if (unsupported) exitWith(unsupported);
  let config: QuorumConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    exitWith(describeStartupError(error, {}, 'other'));
  }
  // Every service first: nothing is created or migrated while another one is missing.
  const unreachable = await unreachableServices(config);
  if (unreachable.length > 0) exitWith(unreachable.join('\n'));
  let dataSource: DataSource;
  try {
    dataSource = await prepareDatabase(config, { applicationName: 'quorum-api' });
  } catch (error) {
    exitWith(describeStartupError(error, config, 'postgres'));
  }
  const logger = createLogger('api', config.logLevel);
  const server = await startApiServer({ config, dataSource, logger });
  if (config.adminTokenIsDefault) {
    logger.warn(
      'QUORUM_ADMIN_TOKEN is not set: using the development admin token "quorum-dev-admin-token".',
    );
  }
  logger.info(`Quorum API ready at http://localhost:${server.port}/graphql`);
  logger.info(
    server.dashboardUrl
      ? `Dashboard at http://localhost:${server.port}/dashboard/ (sign in with an API key)`
      : 'Dashboard not built: `npm run build` builds apps/dashboard, then restart to serve /dashboard/',
  );
  onShutdownSignal(
    async () => {
      await server.stop();
      await dataSource.destroy();
      logger.info('Quorum API stopped');
    },
    (line) => logger.info(line),
  );
}

void main();
