import { isStorableText } from '@quorum/services';
import {
  GraphQLError,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  TypeInfo,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';

/** No list argument, however deeply nested in an input, may hold more than this. */
export const MAX_LIST_ARGUMENT = 1_000;
/** Levels of objects and arrays inside a JSON argument (attributes, properties, definitionJson). */
export const MAX_JSON_DEPTH = 32;
/** Levels of any argument value, typed inputs included. */
const MAX_VALUE_DEPTH = 64;

/** Scalars that carry free-form JSON: their nesting is the caller's, so it is bounded here. */
const JSON_SCALARS = new Set(['JSON', 'JSONObject']);

export function argumentRefusal(path: string, message: string): GraphQLError {
  return new GraphQLError(`${path}: ${message}`, {
    extensions: {
      code: 'BAD_USER_INPUT',
      field: path,
      issues: [{ path, message }],
      http: { status: 400 },
    },
  });
}

interface Pending {
  value: unknown;
  /** The input type the value is for; null inside JSON or where the value does not fit. */
  type: GraphQLInputType | null;
  path: string;
  depth: number;
  /** Where the enclosing JSON value starts, and its depth there. */
  json: { path: string; depth: number } | null;
}

/**
 * Checks one argument value without recursion (a value nested thousands of levels deep must
 * be refused, not overflow the stack): every list at most MAX_LIST_ARGUMENT items, every string
 * storable (no NUL, no lone surrogate), JSON at most MAX_JSON_DEPTH levels, named at the
 * argument that holds it (`activities[0].properties`).
 */
function checkValue(value: unknown, type: GraphQLInputType | null, path: string): void {
  const stack: Pending[] = [{ value, type, path, depth: 0, json: null }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    let { type } = item;
    const { value, path, depth, json } = item;
    if (depth > MAX_VALUE_DEPTH) refuseDepth(json?.path ?? path, MAX_VALUE_DEPTH);
    if (json && depth - json.depth > MAX_JSON_DEPTH) refuseDepth(json.path, MAX_JSON_DEPTH);
    if (type && isNonNullType(type)) type = type.ofType;
    if (typeof value === 'string') {
      if (!isStorableText(value)) {
        throw argumentRefusal(path, 'must be valid Unicode text without NUL characters');
      }
      continue;
    }
    if (value === null || typeof value !== 'object' || value instanceof Date) continue;
    const enteringJson =
      !json && type !== null && isScalarType(type) && JSON_SCALARS.has(type.name);
    const inJson = enteringJson ? { path, depth } : json;
    if (Array.isArray(value)) {
      if (value.length > MAX_LIST_ARGUMENT) {
        throw argumentRefusal(path, `at most ${MAX_LIST_ARGUMENT} items (got ${value.length})`);
      }
      // A single value where a list is expected is coerced to a list of one.
      const itemType = type && isListType(type) ? (type.ofType as GraphQLInputType) : null;
      for (let i = value.length - 1; i >= 0; i -= 1) {
        stack.push({
          value: value[i],
          type: itemType,
          path: `${path}[${i}]`,
          depth: depth + 1,
          json: inJson,
        });
      }
      continue;
    }
    const fields = type && isInputObjectType(type) ? type.getFields() : null;
    const entries = Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const [key, child] = entries[i]!;
      if (inJson && !isStorableText(key)) {
        throw argumentRefusal(
          `${path}.${key.slice(0, 40)}`,
          'keys must be valid Unicode text without NUL characters',
        );
      }
      stack.push({
        value: child,
        type: fields?.[key]?.type ?? null,
        path: `${path}.${key}`,
        depth: depth + 1,
        json: inJson,
      });
    }
  }
}

function refuseDepth(path: string, max: number): never {
  throw argumentRefusal(path, `nests deeper than ${max} levels`);
}

/**
 * Checks the arguments of every field of the document, root fields and nested ones, literal
 * or from variables, before execution: the same check for HTTP and graphql-ws. Throws a
 * BAD_USER_INPUT GraphQLError naming the argument.
 */
export function checkArgumentBounds(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): void {
  const typeInfo = new TypeInfo(schema);
  const vars = variables ?? {};
  const checkedVariables = new Set<string>();
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const type = typeInfo.getArgument()?.type ?? null;
        if (node.value.kind === Kind.VARIABLE) {
          const name = node.value.name.value;
          if (checkedVariables.has(name)) return;
          checkedVariables.add(name);
          checkValue(vars[name], type, node.name.value);
        } else {
          checkValue(valueFromASTUntyped(node.value, vars), type, node.name.value);
        }
      },
    }),
  );
  // Variables no argument uses are still parsed and held: bound them too.
  for (const [name, value] of Object.entries(vars)) {
    if (!checkedVariables.has(name)) checkValue(value, null, `$${name}`);
  }
}
