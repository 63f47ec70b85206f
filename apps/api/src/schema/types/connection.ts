import { Field, Int, ObjectType, type ClassType } from 'type-graphql';

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface ConnectionShape<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: PageInfo;
  countTotal: () => Promise<number>;
}

/** A Relay connection type for `Node`; totalCount is only counted when asked for. */
export function Connection<T extends object>(name: string, Node: ClassType<T>) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => Node)
    node!: T;

    @Field()
    cursor!: string;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionClass implements ConnectionShape<T> {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    countTotal!: () => Promise<number>;

    @Field(() => Int)
    totalCount(): Promise<number> {
      return this.countTotal();
    }
  }
  return ConnectionClass;
}
