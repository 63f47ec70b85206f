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

  /**
   * Leads grouped by the channel or campaign of their first touch (when that first touch
   * falls in [from, to)), with their current average score and how many converted after it.
   */
  async liftBySource(ws: WorkspaceId, dimension: 'channel' | 'campaign', from: Date, to: Date) {
    const rows: {
      source: string;
      leads: number;
      average_score: number | null;
      conversions: number;
    }[] = await this.manager.query(
      `WITH first_touch AS (
         SELECT DISTINCT ON (a.contact_id) a.contact_id, coalesce(a.properties->>$4, '(none)') AS source, a.occurred_at
         FROM activities a WHERE a.workspace_id = $1 AND a.contact_id IS NOT NULL
         ORDER BY a.contact_id, a.occurred_at, a.id
       )
       SELECT f.source, count(*)::int AS leads, avg(s.total)::float8 AS average_score,
              count(*) FILTER (WHERE EXISTS (
                SELECT 1 FROM outcomes o WHERE o.workspace_id = $1 AND o.contact_id = f.contact_id
                  AND o.type IN ('OPPORTUNITY_CREATED', 'WON') AND o.occurred_at >= f.occurred_at))::int AS conversions
       FROM first_touch f
       LEFT JOIN lead_scores s ON s.workspace_id = $1 AND s.contact_id = f.contact_id
       WHERE f.occurred_at >= $2 AND f.occurred_at < $3
       GROUP BY f.source ORDER BY leads DESC, f.source LIMIT 200`,
      [ws, from, to, dimension],
    );
    return rows.map((r) => ({
      source: r.source,
      leads: r.leads,
      averageScore: r.average_score,
      conversions: r.conversions,
    }));
  }

  async forWorkspace(ws: WorkspaceId, types: readonly string[]): Promise<OutcomeEntity[]> {
    const rows = await this.manager.query(
      'SELECT * FROM outcomes WHERE workspace_id = $1 AND type = ANY($2::text[]) ORDER BY occurred_at, id',
      [ws, types],
    );
    return mapRows(this.manager, OutcomeEntity, rows);
  }
}
