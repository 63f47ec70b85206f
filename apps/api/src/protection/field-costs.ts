import {
  getNamedType,
  GraphQLError,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { MAX_PAGE_SIZE } from '../pagination';

/**
 * Fields that compute over a whole workspace (or one contact's history) when resolved, by
 * `Type.field`. graphql-armor's cost counts the shape of a query, not the work behind a field,
 * so fifteen aliases of `modelValidation` (each scoring every contact at each window) would
 * pass it. These costs are added up over the operation before anything runs and refused past
 * QUORUM_MAX_COST (20,000 by default: two validations, or one comparison, per request).
 */
export const FIELD_COSTS: Readonly<Record<string, number>> = {
  'Query.modelValidation': 10_000,
  'Query.compareModels': 20_000,
  'Mutation.trainPredictiveModel': 20_000,
  // Observes the workspace, fits a model and validates the draft and the active version.
  'Mutation.suggestScoringModel': 20_000,
  'Query.previewAccountScoring': 5_000,
  'ScoringModelVersion.tierPlacements': 20,
  'Query.previewScoringModel': 5_000,
  'Query.scoreLiftByChannel': 2_000,
  'Query.scoreMovers': 500,
  'Query.workQueue': 500,
  'Query.tierDistribution': 200,
  'Query.accountScoreTrend': 200,
  'Contact.scoreAsOf': 40,
};

/** A list without `first` is counted as this many items for the fields below it. */
const UNBOUNDED_LIST_FACTOR = 10;

/** How many times the selections below this field run. */
function fanOut(node: FieldNode, field: GraphQLField<unknown, unknown>): number {
  const firstArg = field.args.find((a) => a.name === 'first');
  if (firstArg) {
    const given = node.arguments?.find((a) => a.name.value === 'first')?.value;
    if (given?.kind === Kind.INT) return Math.max(1, Number(given.value));
    if (given?.kind === Kind.VARIABLE) return MAX_PAGE_SIZE;
    return typeof firstArg.defaultValue === 'number' ? firstArg.defaultValue : MAX_PAGE_SIZE;
  }
  // A connection's edges are counted by its `first`.
  if (node.name.value === 'edges') return 1;
  let type: GraphQLOutputType = field.type;
  if (isNonNullType(type)) type = type.ofType;
  return isListType(type) ? UNBOUNDED_LIST_FACTOR : 1;
}

class FieldCostCounter {
  private readonly fragmentCosts = new Map<string, number>();
  readonly counted = new Map<string, number>();

  constructor(private readonly context: ValidationContext) {}

  /** The cost of a selection set run once; fragments are costed once (a fragment bomb is not). */
  selectionCost(selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined): number {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!parent || !isObjectType(parent)) continue;
        const field = parent.getFields()[selection.name.value];
        if (!field) continue;
        const key = `${parent.name}.${field.name}`;
        const own = FIELD_COSTS[key] ?? 0;
        if (own > 0) this.counted.set(key, own);
        cost += own;
        if (selection.selectionSet) {
          cost +=
            fanOut(selection, field) *
            this.selectionCost(selection.selectionSet, getNamedType(field.type));
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? this.context.getSchema().getType(selection.typeCondition.name.value)
          : parent;
        cost += this.selectionCost(selection.selectionSet, type ?? undefined);
      } else {
        const name = selection.name.value;
        const known = this.fragmentCosts.get(name);
        if (known !== undefined) {
          cost += known;
          continue;
        }
        const fragment = this.context.getFragment(name);
        if (!fragment) continue;
        // A cycle (refused by NoFragmentCyclesRule) counts nothing here.
        this.fragmentCosts.set(name, 0);
        const type = this.context.getSchema().getType(fragment.typeCondition.name.value);
        const fragmentCost = this.selectionCost(fragment.selectionSet, type ?? undefined);
        this.fragmentCosts.set(name, fragmentCost);
        cost += fragmentCost;
      }
    }
    return cost;
  }
}

/** Refuses an operation whose expensive fields cost more than `maxCost`, before it runs. */
export function fieldCostRule(maxCost: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const root = context.getSchema().getRootType(operation.operation) ?? undefined;
      const counter = new FieldCostCounter(context);
      const cost = counter.selectionCost(operation.selectionSet, root);
      if (cost > maxCost) {
        const fields = [...counter.counted]
          .map(([key, each]) => `${key.split('.')[1]} ${each}`)
          .join(', ');
        context.reportError(
          new GraphQLError(
            `Cost limit of ${maxCost} exceeded by fields that compute over the workspace: found ${cost} (${fields} each)`,
            { nodes: [operation] },
          ),
        );
      }
      return false;
    },
  });
}
