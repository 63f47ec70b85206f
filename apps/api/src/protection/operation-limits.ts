import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { QuorumConfig } from '@quorum/config';

/**
 * Depth, alias, token, directive and cost limits from graphql-armor, the same for HTTP and
 * subscriptions. Depth counts every selection level, so a Relay connection
 * (`contacts { edges { node { … } } }`) costs three levels: the default of 12 allows
 * account → buying groups → members → contact → score → reasons, and refuses deeper.
 */
export function operationLimits(config: QuorumConfig) {
  const production = config.nodeEnv === 'production';
  const armor = new ApolloArmor({
    maxDepth: { n: config.limits.maxDepth, exposeLimits: true },
    maxAliases: { n: config.limits.maxAliases, exposeLimits: true },
    maxTokens: { n: config.limits.maxTokens, exposeLimits: true },
    maxDirectives: { n: config.limits.maxDirectives, exposeLimits: true },
    costLimit: {
      maxCost: config.limits.maxCost,
      objectCost: 2,
      scalarCost: 1,
      depthCostFactor: 1.5,
      exposeLimits: true,
    },
    // Field suggestions ("Did you mean …?") reveal the schema; off in production.
    blockFieldSuggestion: { enabled: production },
  });
  return armor.protect();
}

const LIMIT_CODES: [RegExp, string][] = [
  [/depth limit/i, 'QUERY_TOO_DEEP'],
  [/aliases limit/i, 'TOO_MANY_ALIASES'],
  [/token limit/i, 'QUERY_TOO_LARGE'],
  [/directives limit/i, 'TOO_MANY_DIRECTIVES'],
  [/cost limit/i, 'QUERY_TOO_COSTLY'],
];

/** The code for an armor refusal, or undefined when the message is not one. */
export function limitCode(message: string): string | undefined {
  return LIMIT_CODES.find(([pattern]) => pattern.test(message))?.[1];
}
