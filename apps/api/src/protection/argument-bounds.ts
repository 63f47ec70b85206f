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

/**
 * Checks argument values: every list at most MAX_LIST_ARGUMENT items, every string storable (no
 * NUL, no lone surrogate), JSON at most MAX_JSON_DEPTH levels, named at the argument that holds
 * it (`activities[0].properties`). It recurses, but refuses a value before going deeper than
 * MAX_VALUE_DEPTH, so a value nested thousands of levels deep is refused, not a stack overflow.
 * The path is kept as segments and written out only to refuse.
 */
class BoundsWalker {
  private readonly segments: (string | number)[] = [];
  /** How many segments lead to the JSON value being walked, and its depth; -1 outside JSON. */
  private jsonSegments = -1;
  private jsonDepth = 0;

  check(value: unknown, type: GraphQLInputType | null, name: string): void {
    this.segments.length = 0;
    this.segments.push(name);
    this.jsonSegments = -1;
    this.walk(value, type, 0);
  }

  private path(length = this.segments.length): string {
    let path = String(this.segments[0]);
    for (let i = 1; i < length; i += 1) {
      const segment = this.segments[i]!;
      path += typeof segment === 'number' ? `[${segment}]` : `.${segment}`;
    }
    return path;
  }

  private walk(value: unknown, type: GraphQLInputType | null, depth: number): void {
    if (typeof value === 'string') {
      if (!isStorableText(value))
        throw argumentRefusal(this.path(), 'must be valid Unicode text without NUL characters');
      return;
    }
    if (value === null || typeof value !== 'object' || value instanceof Date) return;
    if (type && isNonNullType(type)) type = type.ofType;
    const entersJson =
      this.jsonSegments < 0 && type !== null && isScalarType(type) && JSON_SCALARS.has(type.name);
    if (entersJson) {
      this.jsonSegments = this.segments.length;
      this.jsonDepth = depth;
    }
    if (this.jsonSegments >= 0 && depth - this.jsonDepth >= MAX_JSON_DEPTH)
      refuseDepth(this.path(this.jsonSegments), MAX_JSON_DEPTH);
    if (depth >= MAX_VALUE_DEPTH) refuseDepth(this.path(), MAX_VALUE_DEPTH);
    if (Array.isArray(value)) {
      if (value.length > MAX_LIST_ARGUMENT)
        throw argumentRefusal(
          this.path(),
          `at most ${MAX_LIST_ARGUMENT} items (got ${value.length})`,
        );
      // A single value where a list is expected is coerced to a list of one.
      const itemType = type && isListType(type) ? (type.ofType as GraphQLInputType) : null;
      for (let i = 0; i < value.length; i += 1) {
        this.segments.push(i);
        this.walk(value[i], itemType, depth + 1);
        this.segments.pop();
      }
    } else {
      const fields = type && isInputObjectType(type) ? type.getFields() : null;
      const inJson = this.jsonSegments >= 0;
      for (const key in value) {
        if (!Object.hasOwn(value, key)) continue;
        this.segments.push(key);
        if (inJson && !isStorableText(key))
          throw argumentRefusal(
            this.path().slice(0, 200),
            'keys must be valid Unicode text without NUL characters',
          );
        this.walk((value as Record<string, unknown>)[key], fields?.[key]?.type ?? null, depth + 1);
        this.segments.pop();
      }
    }
    if (entersJson) this.jsonSegments = -1;
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
  const walker = new BoundsWalker();
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
          walker.check(vars[name], type, node.name.value);
        } else {
          walker.check(valueFromASTUntyped(node.value, vars), type, node.name.value);
        }
      },
    }),
  );
  // Variables no argument uses are still parsed and held: bound them too.
  for (const [name, value] of Object.entries(vars)) {
    if (!checkedVariables.has(name)) walker.check(value, null, `$${name}`);
  }
}
