import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import type { QuorumConnection } from './connection';
import { QuorumRequestError } from './errors';

/** Variables may be left out only when the operation has no required ones. */
export type VariablesOf<TVariables> =
  Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

const printed = new WeakMap<DocumentNode, string>();

export function operationText(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: GraphQLFormattedError[];
}

/**
 * Runs a query or mutation over HTTP with the connection's key and returns its typed data;
 * throws QuorumRequestError when the API answers with errors.
 */
export async function request<TData, TVariables>(
  connection: QuorumConnection,
  document: TypedDocumentNode<TData, TVariables>,
  ...[variables]: VariablesOf<TVariables>
): Promise<TData> {
  const response = await fetch(connection.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      authorization: `Bearer ${connection.apiKey}`,
    },
    body: JSON.stringify({ query: operationText(document), variables: variables ?? {} }),
  });
  let body: GraphQLResponse<TData>;
  try {
    body = (await response.json()) as GraphQLResponse<TData>;
  } catch {
    throw new QuorumRequestError(
      [{ message: `HTTP ${response.status} ${response.statusText}: the answer is not JSON` }],
      response.status,
    );
  }
  if (body.errors?.length) throw new QuorumRequestError(body.errors, response.status);
  if (body.data == null) {
    throw new QuorumRequestError([{ message: 'the answer has no data' }], response.status);
  }
  return body.data;
}
