import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { QuorumConfig } from '@quorum/config';
import { NoSchemaIntrospectionCustomRule, type ValidationRule } from 'graphql';
import { fieldCostRule } from './field-costs';

/**
 * Depth, alias, token, directive and cost limits from graphql-armor, the cost of fields that
 * compute over the workspace (field-costs.ts), and in production no introspection: one set of
 * validation rules for HTTP and graphql-ws alike. Depth counts every selection level, so a Relay connection
 * (`contacts { edges { node { … } } }`) costs three levels: the default of 12 allows
 * account → buying groups → members → contact → score → reasons, and refuses deeper.
 */
export function operationLimits(config: QuorumConfig) {
  const production = config.nodeEnv === 'production';
  const armor = new ApolloArmor({
    maxDepth: { n: config.limits.maxDepth, exposeLimits: true },
    maxAliases: { n: config.limits.maxAliases, exposeLimits: true },
    // Tokens are counted before parsing, for both transports (query-text.ts).
    maxTokens: { enabled: false },
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
  const protection = armor.protect();
  const validationRules: ValidationRule[] = [
    ...protection.validationRules,
    fieldCostRule(config.limits.maxCost),
    ...(production ? [NoSchemaIntrospectionCustomRule] : []),
  ];
  return { plugins: protection.plugins, validationRules };
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
