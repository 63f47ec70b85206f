import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { loadConfig, type Clock } from '@quorum/config';
import { NO_RESCORE } from '@quorum/services';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as Graphql from 'graphql';
import type { DataSource } from 'typeorm';
import { buildContext, type RequestContext } from '../../../apps/api/src/context';
import { buildQuorumSchema } from '../../../apps/api/src/schema/build-schema';
import { createServices } from '../../../apps/api/src/services';

// The graphql instance type-graphql and Apollo load (Node's CommonJS build): one imported here
// through Vite would be a second copy whose execute rejects their schema.
const { execute, parse } = createRequire(join(process.cwd(), 'package.json'))(
  'graphql',
) as typeof Graphql;

/**
 * The API's schema, resolvers and loaders on the harness's DataSource, without HTTP: to tell
 * resolver and graphql-js time from Apollo's and the HTTP stack's.
 */
export interface InProcessGraphql {
  /** graphql-js execute of a parsed document with a fresh context (fresh loaders), no Apollo. */
  execute(document: Graphql.DocumentNode): Promise<Graphql.ExecutionResult>;
  /** Apollo's executeOperation with its default plugins (as the API runs it), no HTTP. */
  apollo(query: string): Promise<unknown>;
  /** The same with ApolloServerPluginCacheControlDisabled(): no per-field willResolveField hook. */
  apolloNoCacheControl(query: string): Promise<unknown>;
  /** Authenticates the key (one statement), as every HTTP request does. */
  authenticate(): Promise<unknown>;
  parse: (source: string) => Graphql.DocumentNode;
  stop(): Promise<void>;
}

export async function inProcessGraphql(
  dataSource: DataSource,
  clock: Clock,
  key: string,
): Promise<InProcessGraphql> {
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgres://unused/unused' });
  const services = createServices(dataSource, config, clock, NO_RESCORE);
  const schema = await buildQuorumSchema();
  const auth = await services.workspaces.authenticate(key);
  if (!auth) throw new Error('the key does not authenticate');
  const context = (): RequestContext => buildContext(services, auth, false);
  const withDefaults = new ApolloServer<RequestContext>({ schema });
  const withoutCacheControl = new ApolloServer<RequestContext>({
    schema,
    plugins: [ApolloServerPluginCacheControlDisabled()],
  });
  await withDefaults.start();
  await withoutCacheControl.start();
  const run = async (server: ApolloServer<RequestContext>, query: string) => {
    const response = await server.executeOperation({ query }, { contextValue: context() });
    if (response.body.kind !== 'single' || response.body.singleResult.errors?.length) {
      throw new Error(`GraphQL errors: ${JSON.stringify(response.body)}`);
    }
    return response.body.singleResult.data;
  };
  return {
    execute: async (document) => {
      const result = await execute({ schema, document, contextValue: context() });
      if (result.errors?.length)
        throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
      return result;
    },
    apollo: (query) => run(withDefaults, query),
    apolloNoCacheControl: (query) => run(withoutCacheControl, query),
    authenticate: () => services.workspaces.authenticate(key),
    parse,
    stop: async () => {
      await withDefaults.stop();
      await withoutCacheControl.stop();
    },
  };
}
