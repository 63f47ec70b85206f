import type { EntityManager } from 'typeorm';
import { TierCutoffsEntity } from '../entities/tier-cutoffs.entity';
import type { WorkspaceId } from '../workspace-id';

/** A tier as placing its cut-off needs it (the model's tiers, top first). */
export interface ShareTier {
  name: string;
  min: number;
  topShare?: number | null;
  minFit?: number | null;
  minEngagement?: number | null;
}

export type ScoredEntity = 'CONTACT' | 'ACCOUNT';

/** A total no score reaches: the cut-off of a share tier that must stay empty. */
export const UNREACHABLE_TOTAL = 1e12;

const TABLES: Record<ScoredEntity, { table: string; key: string; override: string }> = {
  CONTACT: { table: 'lead_scores', key: 'contact_id', override: 'override IS NULL' },
  ACCOUNT: { table: 'account_scores', key: 'account_id', override: 'true' },
};

/**
 * Where each tier set by share starts, placed on a workspace's stored scores, and which scores
 * sit in the wrong tier once it moves.
 */
export class TierCutoffsRepository {
  constructor(private readonly manager: EntityManager) {}

  async find(ws: WorkspaceId, versionId: string): Promise<TierCutoffsEntity | null> {
    return this.manager.findOne(TierCutoffsEntity, {
      where: { workspaceId: ws, modelVersionId: versionId },
    });
  }

  async save(ws: WorkspaceId, row: Omit<TierCutoffsEntity, 'workspaceId'>): Promise<void> {
    await this.manager.query(
      `INSERT INTO tier_cutoffs (workspace_id, model_version_id, lead, account, lead_scores, account_scores, computed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (workspace_id, model_version_id) DO UPDATE SET lead = EXCLUDED.lead,
         account = EXCLUDED.account, lead_scores = EXCLUDED.lead_scores,
         account_scores = EXCLUDED.account_scores, computed_at = EXCLUDED.computed_at`,
      [
        ws,
        row.modelVersionId,
        JSON.stringify(row.lead),
        JSON.stringify(row.account),
        row.leadScores,
        row.accountScores,
        row.computedAt,
      ],
    );
  }

  /**
   * Cut-offs for the share tiers among `tiers` (top first) on the version's stored scores:
   * tier i and those above hold the top `topShare` of them, among the scores that meet its fit
   * and engagement conditions and no higher tier took. A tier without a share keeps its `min`.
   */
  async place(
    ws: WorkspaceId,
    entity: ScoredEntity,
    versionId: string,
    tiers: readonly ShareTier[],
  ): Promise<{ cutoffs: Record<string, number>; scored: number }> {
    const { table } = TABLES[entity];
    const base = `FROM ${table} WHERE workspace_id = $1 AND model_version_id = $2`;
    const [{ n }] = await this.manager.query(`SELECT count(*)::int AS n ${base}`, [ws, versionId]);
    const cutoffs: Record<string, number> = {};
    const placed: string[] = [];
    const params: unknown[] = [ws, versionId];
    let above = 0;
    for (const tier of tiers.slice(0, -1)) {
      const eligible = this.condition(tier, params);
      let cutoff = tier.min;
      if (tier.topShare !== undefined && tier.topShare !== null) {
        const wanted = Math.round(tier.topShare * n) - above;
        const free = placed.length ? ` AND NOT (${placed.join(' OR ')})` : '';
        const [row] =
          wanted > 0
            ? await this.manager.query(
                `SELECT total ${base} AND ${eligible}${free} ORDER BY total DESC OFFSET $${params.length + 1} LIMIT 1`,
                [...params, wanted - 1],
              )
            : [];
        const [lowest] =
          wanted > 0 && !row
            ? await this.manager.query(
                `SELECT min(total) AS total ${base} AND ${eligible}${free}`,
                params,
              )
            : [];
        cutoff = row?.total ?? lowest?.total ?? UNREACHABLE_TOTAL;
        if (row)
          cutoff = await this.nearerShare(base, `${eligible}${free}`, params, cutoff, wanted);
        cutoffs[tier.name] = cutoff;
      }
      params.push(cutoff);
      placed.push(`(${eligible} AND total >= $${params.length})`);
      const [{ c }] = await this.manager.query(
        `SELECT count(*)::int AS c ${base} AND (${placed.join(' OR ')})`,
        params,
      );
      above = c;
    }
    return { cutoffs, scored: n };
  }

  /**
   * Up to `limit` scores of the version whose stored tier is not the one the cut-offs give
   * (leads forced to the top tier by an override are left to their next rescore).
   */
  async offTier(
    ws: WorkspaceId,
    entity: ScoredEntity,
    versionId: string,
    tiers: readonly ShareTier[],
    cutoffs: Readonly<Record<string, number>>,
    limit = 100_000,
  ): Promise<string[]> {
    const { table, key, override } = TABLES[entity];
    const params: unknown[] = [ws, versionId];
    const cases = tiers.slice(0, -1).map((tier) => {
      const eligible = this.condition(tier, params);
      params.push(cutoffs[tier.name] ?? tier.min, tier.name);
      return `WHEN ${eligible} AND total >= $${params.length - 1} THEN $${params.length}`;
    });
    params.push(tiers[tiers.length - 1]!.name, limit);
    const rows: Record<string, string>[] = await this.manager.query(
      `SELECT ${key} AS id FROM ${table} WHERE workspace_id = $1 AND model_version_id = $2 AND ${override}
         AND tier IS DISTINCT FROM (CASE ${cases.join(' ')} ELSE $${params.length - 1} END)::varchar
       ORDER BY ${key} LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => r['id']!);
  }

  /**
   * Scores tied at the cut-off all fall in the tier. When leaving the tie out (the next higher
   * total) comes nearer the share wanted, that is the cut-off instead.
   */
  private async nearerShare(
    base: string,
    where: string,
    params: unknown[],
    cutoff: number,
    wanted: number,
  ): Promise<number> {
    const at = params.length + 1;
    const [row] = await this.manager.query(
      `SELECT count(*) FILTER (WHERE total >= $${at})::int AS included,
              count(*) FILTER (WHERE total > $${at})::int AS excluded,
              min(total) FILTER (WHERE total > $${at}) AS above
       ${base} AND ${where}`,
      [...params, cutoff],
    );
    const { included, excluded, above } = row as {
      included: number;
      excluded: number;
      above: number | null;
    };
    return above !== null &&
      excluded > 0 &&
      Math.abs(excluded - wanted) < Math.abs(included - wanted)
      ? above
      : cutoff;
  }

  /** The tier's fit and engagement conditions as SQL, their values appended to `params`. */
  private condition(tier: ShareTier, params: unknown[]): string {
    const parts = ['true'];
    for (const [column, value] of [
      ['fit', tier.minFit],
      ['engagement', tier.minEngagement],
    ] as const) {
      if (value === undefined || value === null) continue;
      params.push(value);
      parts.push(`${column} >= $${params.length}`);
    }
    return parts.join(' AND ');
  }
}
