import 'reflect-metadata';
import {
  checkRedis,
  describeStartupError,
  exitWith,
  onShutdownSignal,
  prepareDatabase,
} from '@quorum/bootstrap';
import { loadConfig, type QuorumConfig } from '@quorum/config';
import { createLogger } from '@quorum/observability';
import type { DataSource } from 'typeorm';
import { startApiServer } from './server';

async function main(): Promise<void> {
  let config: QuorumConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    exitWith(describeStartupError(error, {}, 'other'));
  }
  let dataSource: DataSource;
  try {
    dataSource = await prepareDatabase(config, { applicationName: 'quorum-api' });
  } catch (error) {
    exitWith(describeStartupError(error, config, 'postgres'));
  }
  try {
    await checkRedis(config.redisUrl);
  } catch (error) {
    exitWith(describeStartupError(error, config, 'redis'));
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
