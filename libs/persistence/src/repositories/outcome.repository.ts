import type { EntityManager } from 'typeorm';
import { OutcomeEntity } from '../entities/outcome.entity';
import { mapRows } from '../row-mapper';
import type { WorkspaceId } from '../workspace-id';

export type OutcomeWrite = Pick<
  OutcomeEntity,
  'contactId' | 'accountId' | 'type' | 'occurredAt' | 'amount' | 'externalId'
>;

export class OutcomeRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Stores outcomes whose external id is new; returns the external ids inserted. */
  async insertNew(ws: WorkspaceId, outcomes: readonly OutcomeWrite[]): Promise<Set<string>> {
    if (outcomes.length === 0) return new Set();
    const rows: { external_id: string }[] = await this.manager.query(
      `INSERT INTO outcomes (workspace_id, contact_id, account_id, type, occurred_at, amount, external_id)
       SELECT $1, x.contact_id, x.account_id, x.type, x.occurred_at, x.amount, x.external_id
       FROM jsonb_to_recordset($2::jsonb) AS x(contact_id uuid, account_id uuid, type text,
         occurred_at timestamptz, amount double precision, external_id text)
       ON CONFLICT (workspace_id, external_id) DO NOTHING
       RETURNING external_id`,
      [
        ws,
        JSON.stringify(
          outcomes.map((o) => ({
            contact_id: o.contactId,
            account_id: o.accountId,
            type: o.type,
            occurred_at: o.occurredAt.toISOString(),
            amount: o.amount,
            external_id: o.externalId,
          })),
        ),
      ],
    );
    return new Set(rows.map((r) => r.external_id));
  }

  async forWorkspace(ws: WorkspaceId, types: readonly string[]): Promise<OutcomeEntity[]> {
    const rows = await this.manager.query(
      'SELECT * FROM outcomes WHERE workspace_id = $1 AND type = ANY($2::text[]) ORDER BY occurred_at, id',
      [ws, types],
    );
    return mapRows(this.manager, OutcomeEntity, rows);
  }
}
