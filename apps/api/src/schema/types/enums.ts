import { ACTIVITY_TYPES } from '@quorum/scoring';
import { API_SCOPES, BUYING_ROLES, LIFECYCLE_STAGES } from '@quorum/services';
import { registerEnumType } from 'type-graphql';

function enumOf<T extends string>(values: readonly T[]): { [K in T]: K } {
  return Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
}

export const ActivityTypeEnum = enumOf(ACTIVITY_TYPES);
export const ApiScopeEnum = enumOf(API_SCOPES);
export const BuyingRoleEnum = enumOf(BUYING_ROLES);
export const LifecycleStageEnum = enumOf(LIFECYCLE_STAGES);
export const AccountOrderEnum = enumOf([
  'PRIORITY_DESC',
  'SCORE_CHANGE_DESC',
  'LAST_ACTIVITY_DESC',
  'DOMAIN_ASC',
  'CREATED_AT_DESC',
] as const);
export const ScoredEntityEnum = enumOf(['ACCOUNT', 'CONTACT'] as const);
export const TrendBucketEnum = enumOf(['DAY', 'WEEK'] as const);
export const MoveDirectionEnum = enumOf(['UP', 'DOWN'] as const);
export const ContactOrderEnum = enumOf(['EMAIL_ASC', 'CREATED_AT_DESC', 'SCORE_DESC'] as const);
export const QuadrantEnum = enumOf([
  'HIGH_FIT_HIGH_ENGAGEMENT',
  'HIGH_FIT_LOW_ENGAGEMENT',
  'LOW_FIT_HIGH_ENGAGEMENT',
  'LOW_FIT_LOW_ENGAGEMENT',
] as const);

registerEnumType(ActivityTypeEnum, { name: 'ActivityType' });
registerEnumType(ApiScopeEnum, { name: 'ApiScope' });
registerEnumType(BuyingRoleEnum, { name: 'BuyingRole' });
registerEnumType(LifecycleStageEnum, { name: 'LifecycleStage' });
registerEnumType(AccountOrderEnum, { name: 'AccountOrder' });
registerEnumType(ScoredEntityEnum, { name: 'ScoredEntity' });
registerEnumType(TrendBucketEnum, { name: 'TrendBucket' });
registerEnumType(MoveDirectionEnum, { name: 'MoveDirection' });
registerEnumType(ContactOrderEnum, { name: 'ContactOrder' });
registerEnumType(QuadrantEnum, { name: 'Quadrant' });
