import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { ok, type Gql } from '../support/graphql-client';

/** Workspace A's key against every id-taking operation with workspace B's ids. */
describe('no operation reads or writes another workspace', () => {
  let h: ApiHarness;
  let a: Gql;
  let b: Gql;
  let bIds: {
    account: string;
    contact: string;
    group: string;
    email: string;
    domain: string;
    keyId: string;
    activeVersion: string;
    draftVersion: string;
    backfill: string;
  };
  let snapshot: () => Promise<unknown>;

  beforeAll(async () => {
    h = await startApiHarness();
    ({ gql: a } = await h.newWorkspace('A'));
    const wsB = await h.newWorkspace('B');
    b = wsB.gql;
    const acct = await ok(
      b(
        `mutation { upsertAccounts(accounts: [{ domain: "bcorp.com", name: "B Corp" }]) { accounts { id } } }`,
      ),
    );
    const contact = await ok(
      b(`mutation { upsertContacts(contacts: [{ email: "boss@bcorp.com" }]) { contacts { id } } }`),
    );
    const group = await ok(
      b(`mutation($a: ID!) { createBuyingGroup(input: { accountId: $a, name: "G" }) { id } }`, {
        a: acct.upsertAccounts.accounts[0].id,
      }),
    );
    await ok(
      b(
        `mutation($g: ID!, $c: ID!) { setBuyingGroupMember(buyingGroupId: $g, contactId: $c, role: CHAMPION) { role } }`,
        { g: group.createBuyingGroup.id, c: contact.upsertContacts.contacts[0].id },
      ),
    );
    await ok(
      b(
        `mutation { recordActivities(activities: [{ type: EMAIL_OPEN, occurredAt: "2026-11-19T00:00:00Z", email: "boss@bcorp.com", externalId: "b-1" }]) { accepted } }`,
      ),
    );
    const keys = await ok(b(`{ apiKeys { id } }`));
    const active = await ok(b(`{ scoringModel { id } }`));
    const draft = await ok(
      b(`mutation { createScoringModelDraft(description: "B draft") { id } }`),
    );
    const published = await ok(
      b(`mutation { createScoringModelDraft(description: "B next") { id } }`),
    );
    const publishedVersion = await ok(
      b(`mutation($v: ID!) { publishScoringModel(versionId: $v) { latestBackfill { id } } }`, {
        v: published.createScoringModelDraft.id,
      }),
    );
    bIds = {
      account: acct.upsertAccounts.accounts[0].id,
      contact: contact.upsertContacts.contacts[0].id,
      group: group.createBuyingGroup.id,
      email: 'boss@bcorp.com',
      domain: 'bcorp.com',
      keyId: keys.apiKeys[0].id,
      activeVersion: active.scoringModel.id,
      draftVersion: draft.createScoringModelDraft.id,
      backfill: publishedVersion.publishScoringModel.latestBackfill.id,
    };
    snapshot = () =>
      h.db.dataSource.query(
        `SELECT (SELECT json_agg(a ORDER BY id) FROM accounts a WHERE workspace_id = $1) AS accounts,
                (SELECT json_agg(c ORDER BY id) FROM contacts c WHERE workspace_id = $1) AS contacts,
                (SELECT json_agg(g ORDER BY id) FROM buying_groups g WHERE workspace_id = $1) AS groups,
                (SELECT json_agg(m ORDER BY contact_id) FROM buying_group_members m WHERE workspace_id = $1) AS members,
                (SELECT json_agg(x ORDER BY id) FROM activities x WHERE workspace_id = $1) AS activities,
                (SELECT json_agg(k ORDER BY id) FROM api_keys k WHERE workspace_id = $1) AS keys,
                (SELECT json_agg(v ORDER BY id) FROM scoring_model_versions v WHERE workspace_id = $1) AS versions,
                (SELECT json_agg(o ORDER BY id) FROM outcomes o WHERE workspace_id = $1) AS outcomes`,
        [wsB.id],
      );
  });
  afterAll(() => h?.close());

  it('queries by foreign id, email or domain find nothing', async () => {
    const data = await ok(
      a(
        `query($acct: ID!, $contact: ID!, $group: ID!, $email: String!, $domain: String!) {
        byId: account(id: $acct) { id } byDomain: account(domain: $domain) { id }
        contactById: contact(id: $contact) { id } contactByEmail: contact(email: $email) { id }
        buyingGroup(id: $group) { id }
        accounts(first: 500) { totalCount } contacts(first: 500) { totalCount }
        filtered: contacts(filter: { accountIds: [$acct] }) { totalCount } }`,
        {
          acct: bIds.account,
          contact: bIds.contact,
          group: bIds.group,
          email: bIds.email,
          domain: bIds.domain,
        },
      ),
    );
    expect(data).toEqual({
      byId: null,
      byDomain: null,
      contactById: null,
      contactByEmail: null,
      buyingGroup: null,
      accounts: { totalCount: 0 },
      contacts: { totalCount: 0 },
      filtered: { totalCount: 0 },
    });
  });

  it('model versions and backfills of another workspace are invisible', async () => {
    const data = await ok(
      a(
        `query($v: ID!, $d: ID!, $b: ID!) { active: scoringModelVersion(id: $v) { id } draft: scoringModelVersion(id: $d) { id }
        scoringBackfill(id: $b) { id } scoringModelVersions { id } }`,
        { v: bIds.activeVersion, d: bIds.draftVersion, b: bIds.backfill },
      ),
    );
    expect(data.active).toBeNull();
    expect(data.draft).toBeNull();
    expect(data.scoringBackfill).toBeNull();
    expect(data.scoringModelVersions.map((v: { id: string }) => v.id)).not.toContain(
      bIds.activeVersion,
    );
  });

  it('mutations with foreign ids are refused and change nothing in the other workspace', async () => {
    const before = await snapshot();
    const attempts: [string, Record<string, unknown>][] = [
      [`mutation($v: ID!) { publishScoringModel(versionId: $v) { id } }`, { v: bIds.draftVersion }],
      [
        `mutation($v: ID!) { rollbackScoringModel(toVersionId: $v) { id } }`,
        { v: bIds.activeVersion },
      ],
      [
        `mutation($v: ID!) { createScoringModelDraft(basedOn: $v) { id } }`,
        { v: bIds.activeVersion },
      ],
      [
        `mutation($v: ID!) { updateScoringModelDraft(versionId: $v, definitionJson: {}) { id } }`,
        { v: bIds.draftVersion },
      ],
      [
        `query($v: ID!) { previewScoringModel(versionId: $v, sampleSize: 5) { movedUp } }`,
        { v: bIds.draftVersion },
      ],
      [
        `query($a: ID!) { accountScoreTrend(accountId: $a, from: "2026-11-01T00:00:00Z", to: "2026-11-20T00:00:00Z") { total } }`,
        { a: bIds.account },
      ],
      [
        `mutation($c: ID!) { recordOutcomes(outcomes: [{ contactId: $c, type: WON, occurredAt: "2026-11-19T00:00:00Z", externalId: "x" }]) { accepted } }`,
        { c: bIds.contact },
      ],
      [`mutation($id: ID!) { deleteContact(id: $id) { deletedContactId } }`, { id: bIds.contact }],
      [
        `mutation($a: ID!) { createBuyingGroup(input: { accountId: $a, name: "X" }) { id } }`,
        { a: bIds.account },
      ],
      [
        `mutation($g: ID!, $c: ID!) { setBuyingGroupMember(buyingGroupId: $g, contactId: $c, role: BLOCKER) { role } }`,
        { g: bIds.group, c: bIds.contact },
      ],
      [
        `mutation($g: ID!, $c: ID!) { removeBuyingGroupMember(buyingGroupId: $g, contactId: $c) }`,
        { g: bIds.group, c: bIds.contact },
      ],
      [
        `mutation($c: ID!) { upsertContacts(contacts: [{ email: "x@acorp.com", accountId: $c }]) { created } }`,
        { c: bIds.account },
      ],
      [
        `mutation($c: ID!) { recordActivities(activities: [{ type: EMAIL_OPEN, occurredAt: "2026-11-19T00:00:00Z", contactId: $c, externalId: "a-1" }]) { accepted } }`,
        { c: bIds.contact },
      ],
      [
        `mutation($c: ID!) { recordActivities(activities: [{ type: INTENT_SURGE, occurredAt: "2026-11-19T00:00:00Z", accountId: $c, externalId: "a-2" }]) { accepted } }`,
        { c: bIds.account },
      ],
      [`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: bIds.keyId }],
    ];
    for (const [query, variables] of attempts) {
      const result = await a(query, variables);
      expect(result.errors?.[0]?.extensions?.code, query).toBe('BAD_USER_INPUT');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('the same email or domain in two workspaces are two separate rows', async () => {
    const before = await snapshot();
    await ok(
      a(
        `mutation { upsertContacts(contacts: [{ email: "boss@bcorp.com", title: "Spy" }]) { created } }`,
      ),
    );
    await ok(
      a(
        `mutation { recordActivities(activities: [{ type: EMAIL_OPEN, occurredAt: "2026-11-19T00:00:00Z", email: "boss@bcorp.com", externalId: "b-1" }]) { accepted duplicates } }`,
      ),
    );
    expect(await snapshot()).toEqual(before);
    const mine = await ok(
      a(`{ contact(email: "boss@bcorp.com") { id title activities { totalCount } } }`),
    );
    expect(mine.contact.id).not.toBe(bIds.contact);
    expect(mine.contact.activities.totalCount).toBe(1);
  });
});
