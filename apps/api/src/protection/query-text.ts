import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';

/**
 * Brackets (`{`, `[`, `(`) a query may nest. The GraphQL parser, graphql-armor's token counter
 * and the validation rules all recurse once per level, so thousands of levels (a literal
 * `{a:{a:…}}` argument, say) overflow the stack before any limit is checked. Selections are
 * bounded far lower (QUORUM_MAX_DEPTH); this leaves room for literal arguments.
 */
export const MAX_QUERY_NESTING = 100;

/**
 * Checks a query's text before anything parses it, for HTTP and graphql-ws alike: bracket
 * nesting, then the token count (QUORUM_MAX_TOKENS). Returns the refusal, or null.
 */
export function queryTextError(source: string, maxTokens: number): GraphQLError | null {
  return nestingError(source) ?? tokenError(source, maxTokens);
}

/** Counts tokens with graphql-js's lexer (iterative); a lexing error is left to the parser. */
function tokenError(source: string, maxTokens: number): GraphQLError | null {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      count += 1;
      if (count > maxTokens) {
        return new GraphQLError(`Token limit of ${maxTokens} exceeded.`, {
          extensions: { code: 'QUERY_TOO_LARGE', http: { status: 400 } },
        });
      }
    }
  } catch {
    return null;
  }
  return null;
}

/** Scans without recursion: strings, block strings and comments are skipped. */
function nestingError(source: string): GraphQLError | null {
  let depth = 0;
  for (let i = 0; i < source.length; i += 1) {
    const c = source.charCodeAt(i);
    if (c === 0x23 /* # */) {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i += 1;
    } else if (c === 0x22 /* " */) {
      if (source.startsWith('"""', i)) {
        i += 3;
        while (i < source.length && !source.startsWith('"""', i)) {
          i += source.startsWith('\\"""', i) ? 4 : 1;
        }
        i += 2;
      } else {
        i += 1;
        while (i < source.length && source[i] !== '"' && source[i] !== '\n') {
          i += source[i] === '\\' ? 2 : 1;
        }
      }
    } else if (c === 0x7b || c === 0x5b || c === 0x28 /* { [ ( */) {
      depth += 1;
      if (depth > MAX_QUERY_NESTING) {
        return new GraphQLError(`query: brackets nest deeper than ${MAX_QUERY_NESTING} levels`, {
          extensions: {
            code: 'BAD_USER_INPUT',
            field: 'query',
            issues: [
              { path: 'query', message: `brackets nest deeper than ${MAX_QUERY_NESTING} levels` },
            ],
            http: { status: 400 },
          },
        });
      }
    } else if (c === 0x7d || c === 0x5d || c === 0x29 /* } ] ) */) {
      depth -= 1;
    }
  }
  return null;
}
