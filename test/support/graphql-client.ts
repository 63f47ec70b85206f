export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, any>; path?: (string | number)[] }[];
}

/** A minimal GraphQL-over-HTTP client, as a partner would call the API. */
export function graphqlClient(url: string, key?: string) {
  return async function gql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<T>> {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(key ? { authorization: `Bearer ${key}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResponse<T>;
  };
}

export type Gql = ReturnType<typeof graphqlClient>;

/** Returns data, or throws with the errors so a failing test says why. */
export async function ok<T = any>(pending: Promise<GraphQLResponse<T>>): Promise<T> {
  const result = await pending;
  if (result.errors?.length)
    throw new Error(`GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
  return result.data as T;
}
