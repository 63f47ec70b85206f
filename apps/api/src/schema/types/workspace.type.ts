import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Connection } from './connection';
import { ApiScopeEnum } from './enums';

@ObjectType()
export class Workspace {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  createdAt!: Date;
}

@ObjectType()
export class ApiKey {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'The first and last characters of the key, to tell keys apart.' })
  displayPrefix!: string;

  @Field(() => [ApiScopeEnum])
  scopes!: string[];

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;
}

@ObjectType()
export class CreateWorkspacePayload {
  @Field(() => Workspace)
  workspace!: Workspace;

  @Field(() => ApiKey)
  apiKey!: ApiKey;

  @Field({ description: 'The full key. Shown once: store it now.' })
  secret!: string;
}

@ObjectType()
export class CreateApiKeyPayload {
  @Field(() => ApiKey)
  apiKey!: ApiKey;

  @Field({ description: 'The full key. Shown once: store it now.' })
  secret!: string;
}

@ObjectType({
  description:
    'An administrative action: keys created and revoked, models published and rolled back, contacts erased.',
})
export class AdminAuditEntry {
  @Field(() => ID)
  id!: string;

  @Field()
  action!: string;

  @Field(() => ID, { nullable: true, description: 'The API key that acted.' })
  actorKeyId!: string | null;

  @Field()
  targetType!: string;

  @Field()
  targetId!: string;

  @Field(() => GraphQLJSONObject)
  details!: Record<string, unknown>;

  @Field()
  at!: Date;
}

export const AdminAuditConnection = Connection('AdminAudit', AdminAuditEntry);
export type AdminAuditConnection = InstanceType<typeof AdminAuditConnection>;
