import type { Clock } from '@quorum/config';
import type { Database, OutcomeWrite, WorkspaceId } from '@quorum/persistence';
import { IssueCollector } from './errors';
import { checkBulkSize, isUuid, optionalCount, optionalText } from './field-checks';

export const OUTCOME_TYPES = ['OPPORTUNITY_CREATED', 'WON', 'LOST'] as const;
export type OutcomeType = (typeof OUTCOME_TYPES)[number];
/** Outcomes that count as converting. */
export const CONVERSION_TYPES: readonly OutcomeType[] = ['OPPORTUNITY_CREATED', 'WON'];

export interface OutcomeInput {
  contactId?: string | null;
  accountId?: string | null;
  type: OutcomeType;
  occurredAt: Date;
  amount?: number | null;
  externalId: string;
}

/** Records what really happened (opportunities, wins, losses), idempotent by externalId. */
export class OutcomeService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly maxFutureSkewMs: number,
  ) {}

  async recordOutcomes(
    ws: WorkspaceId,
    inputs: readonly OutcomeInput[],
  ): Promise<{ accepted: number; duplicates: number }> {
    const issues = new IssueCollector();
    checkBulkSize(issues, 'outcomes', inputs);
    issues.throwIfAny();
    const latest = this.clock.now().getTime() + this.maxFutureSkewMs;
    const writes: OutcomeWrite[] = inputs.map((input, i) => {
      const path = `outcomes[${i}]`;
      if ((input.contactId == null) === (input.accountId == null)) {
        issues.add(`${path}.contactId`, 'give exactly one of contactId or accountId');
      }
      if (input.contactId != null && !isUuid(input.contactId))
        issues.add(`${path}.contactId`, 'is not a contact id');
      if (input.accountId != null && !isUuid(input.accountId))
        issues.add(`${path}.accountId`, 'is not an account id');
      if (!(OUTCOME_TYPES as readonly string[]).includes(input.type))
        issues.add(`${path}.type`, `unknown outcome type "${String(input.type).slice(0, 40)}"`);
      const at = input.occurredAt instanceof Date ? input.occurredAt.getTime() : NaN;
      if (Number.isNaN(at)) issues.add(`${path}.occurredAt`, 'is not a valid date-time');
      else if (at > latest)
        issues.add(`${path}.occurredAt`, `is in the future (${input.occurredAt.toISOString()})`);
      const amount = optionalCount(issues, `${path}.amount`, input.amount, { integer: false });
      const externalId = optionalText(issues, `${path}.externalId`, input.externalId, 200);
      if (!externalId) issues.add(`${path}.externalId`, 'must not be empty');
      return {
        contactId: input.contactId?.toLowerCase() ?? null,
        accountId: input.accountId?.toLowerCase() ?? null,
        type: input.type,
        occurredAt: input.occurredAt,
        amount: amount ?? null,
        externalId: externalId ?? '',
      };
    });
    issues.throwIfAny();
    return this.db.transaction(ws, async (repos) => {
      const contactIds = [...new Set(writes.flatMap((w) => (w.contactId ? [w.contactId] : [])))];
      const accountIds = [...new Set(writes.flatMap((w) => (w.accountId ? [w.accountId] : [])))];
      const contacts = new Set((await repos.contacts.findByIds(ws, contactIds)).map((c) => c.id));
      const accounts = new Set((await repos.accounts.findByIds(ws, accountIds)).map((a) => a.id));
      writes.forEach((w, i) => {
        if (w.contactId && !contacts.has(w.contactId))
          issues.add(
            `outcomes[${i}].contactId`,
            `no contact with id ${w.contactId} in this workspace`,
          );
        if (w.accountId && !accounts.has(w.accountId))
          issues.add(
            `outcomes[${i}].accountId`,
            `no account with id ${w.accountId} in this workspace`,
          );
      });
      issues.throwIfAny();
      const inserted = await repos.outcomes.insertNew(ws, writes);
      return { accepted: inserted.size, duplicates: writes.length - inserted.size };
    });
  }
}
