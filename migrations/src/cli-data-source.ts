// Data source for the TypeORM CLI (`npm run migration:generate -- <Name>`, run against dist).
import 'reflect-metadata';
import { loadConfig } from '@quorum/config';
import { createDataSource } from '@quorum/persistence';
import { ALL_MIGRATIONS } from './all-migrations';

export default createDataSource({
  url: loadConfig(process.env).databaseUrl,
  migrations: ALL_MIGRATIONS,
});
