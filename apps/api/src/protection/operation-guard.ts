import type { AuthenticatedKey } from '@quorum/services';
import {
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { checkArgumentBounds } from './argument-bounds';
import { rateLimitedError, type OperationBudgets } from './operation-budgets';
import { queryTextError } from './query-text';

/**
 * The limits every operation obeys, whichever transport brings it: over HTTP Apollo applies
 * them through its validation rules and plugins; over graphql-ws `admitOperation` applies the
 * same ones in the same order.
 */
export interface OperationGuard {
  /** graphql-armor's limits, field costs and (in production) no introspection. */
  validationRules: readonly ValidationRule[];
  maxTokens: number;
  budgets: OperationBudgets;
}

/**
 * Checks a graphql-ws operation as HTTP checks a request: its text (nesting, tokens), parse,
 * validation, argument bounds and, for queries and mutations, the key's read or write budget.
 * Returns the parsed operation, or the errors to answer with.
 */
export async function admitOperation(
  guard: OperationGuard,
  schema: GraphQLSchema,
  payload: { query: string; operationName?: string | null; variables?: unknown },
  auth: AuthenticatedKey,
): Promise<{ document: DocumentNode; operation: OperationDefinitionNode } | GraphQLError[]> {
  const textError = queryTextError(payload.query, guard.maxTokens);
  if (textError) return [textError];
  let document: DocumentNode;
  try {
    document = parse(payload.query);
  } catch (error) {
    if (error instanceof GraphQLError) return [error];
    throw error;
  }
  try {
    // graphql-armor's rules throw their refusal rather than report it.
    const invalid = validate(schema, document, [...specifiedRules, ...guard.validationRules]);
    if (invalid.length > 0) return [...invalid];
  } catch (error) {
    if (error instanceof GraphQLError) return [error];
    throw error;
  }
  const operation = getOperationAST(document, payload.operationName);
  if (!operation) return [new GraphQLError('Unable to identify the operation to run')];
  const variables =
    payload.variables && typeof payload.variables === 'object'
      ? (payload.variables as Record<string, unknown>)
      : null;
  try {
    checkArgumentBounds(schema, document, variables);
  } catch (error) {
    if (error instanceof GraphQLError) return [error];
    throw error;
  }
  if (operation.operation !== 'subscription') {
    const state = await guard.budgets.consume(auth.keyId, operation.operation);
    if (state.limited) return [rateLimitedError(state)];
  }
  return { document, operation };
}
