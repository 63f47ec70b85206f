// Listed explicitly, in order: a glob would pick up stray compiled copies.
import { InitialSchema1795460866392 } from './1795460866392-InitialSchema';
import { ScoringModelsAndLeadScores1795461344149 } from './1795461344149-ScoringModelsAndLeadScores';
import { AccountAndBuyingGroupScores1795461913739 } from './1795461913739-AccountAndBuyingGroupScores';
import { PendingRescoresAndBackfills1795462345958 } from './1795462345958-PendingRescoresAndBackfills';
import { ReasonsAndCausesInHistory1795463149068 } from './1795463149068-ReasonsAndCausesInHistory';
import { AdminAuditLog1795464042596 } from './1795464042596-AdminAuditLog';
import { Outcomes1795464580444 } from './1795464580444-Outcomes';
import { RowLevelSecurity1795465000000 } from './1795465000000-RowLevelSecurity';
import { PendingRescoreGenerations1795466000000 } from './1795466000000-PendingRescoreGenerations';
import { OpaqueEventIds1795466500000 } from './1795466500000-OpaqueEventIds';
import { TierCutoffs1795467000000 } from './1795467000000-TierCutoffs';

export const ALL_MIGRATIONS: Function[] = [
  InitialSchema1795460866392,
  ScoringModelsAndLeadScores1795461344149,
  AccountAndBuyingGroupScores1795461913739,
  PendingRescoresAndBackfills1795462345958,
  ReasonsAndCausesInHistory1795463149068,
  AdminAuditLog1795464042596,
  Outcomes1795464580444,
  RowLevelSecurity1795465000000,
  PendingRescoreGenerations1795466000000,
  OpaqueEventIds1795466500000,
  TierCutoffs1795467000000,
];
