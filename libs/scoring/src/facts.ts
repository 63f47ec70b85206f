/** What the engine is told about a contact, its account and its activities. */
import type { ActivityType } from './model-definition';

export interface ContactFacts {
  email: string;
  title?: string | null;
  seniority?: string | null;
  department?: string | null;
  country?: string | null;
  attributes?: Record<string, unknown> | null;
}

export interface AccountFacts {
  domain?: string | null;
  industry?: string | null;
  employeeCount?: number | null;
  annualRevenue?: number | null;
  country?: string | null;
  region?: string | null;
  technologies?: string[] | null;
  attributes?: Record<string, unknown> | null;
}

export interface ActivityFacts {
  id: string;
  type: ActivityType;
  occurredAt: Date;
  properties?: Record<string, unknown> | null;
}

/** A contact of the account, as its lead score describes it. */
export interface AccountContactInput {
  contactId: string;
  /** The contact's lead score total. */
  total: number;
  /** The contact's lead engagement part. */
  engagement: number;
  lastActivityAt: Date | null;
}

export interface AccountBuyingGroupInput {
  id: string;
  name: string;
  requiredRoles: string[];
  members: { contactId: string; role: string }[];
}

/** An account-level activity (no contact), e.g. an INTENT_SURGE on a topic. */
export type AccountActivityInput = ActivityFacts;
