import { expect, test } from 'vitest';
import { startApiHarness } from '../support/api-harness';
import { ok } from '../support/graphql-client';

/**
 * A tenant's MATCHES pattern against the API's time: `^(a+)+$` is the classic catastrophic
 * backtracking pattern (each extra `a` doubles a backtracking engine's work on a non-matching
 * title). It scores a contact whose title is `a` × (n − 1) + `!` with `previewScoringModel`,
 * and meanwhile another tenant asks `{ workspace { id } }` every 5 ms: its slowest answer.
 *
 * Knobs: BENCH_PATTERN_LENGTHS (title lengths, default 21,25,27,29).
 */
const LENGTHS = (process.env['BENCH_PATTERN_LENGTHS'] ?? '21,25,27,29').split(',').map(Number);

test('a catastrophic-backtracking MATCHES pattern: previewScoringModel time and another tenant stalled', async () => {
  const h = await startApiHarness();
  try {
    const { gql } = await h.newWorkspace('tenant');
    const { gql: other } = await h.newWorkspace('neighbour');
    const active = await ok(gql(`{ scoringModel { definitionJson } }`));
    const definition = active.scoringModel.definitionJson;
    definition.fit.rules.push({
      id: 'fit.pattern',
      label: 'Pattern',
      field: 'contact.title',
      op: 'MATCHES',
      value: '^(a+)+$',
      points: 1,
    });
    const draft = await gql(
      `mutation($d: JSONObject!) { createScoringModelDraft(definitionJson: $d) { id } }`,
      { d: definition },
    );
    if (draft.errors) {
      console.log(`draft refused: ${JSON.stringify(draft.errors[0]?.extensions)}`);
      return;
    }
    const versionId = draft.data.createScoringModelDraft.id;
    console.log('title chars | previewScoringModel ms | neighbour slowest { workspace } ms');
    for (const length of LENGTHS) {
      const title = 'a'.repeat(length - 1) + '!';
      const created = await ok(
        gql(`mutation($c: [ContactInput!]!) { upsertContacts(contacts: $c) { contacts { id } } }`, {
          c: [{ email: `t${length}@pattern.example`, title }],
        }),
      );
      const contactId = created.upsertContacts.contacts[0].id;
      const started = performance.now();
      let done = false;
      const preview = gql(
        `query($v: ID!, $c: [ID!]) { previewScoringModel(versionId: $v, contactIds: $c) { rows { draft { total } } } }`,
        { v: versionId, c: [contactId] },
      ).finally(() => {
        done = true;
      });
      // The neighbour asks every 5 ms while the preview runs; its slowest answer is the stall.
      let neighbourMs = 0;
      while (!done) {
        const sent = performance.now();
        await ok(other(`{ workspace { id } }`));
        neighbourMs = Math.max(neighbourMs, performance.now() - sent);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const result = await preview;
      const previewMs = performance.now() - started;
      expect(result.errors).toBeUndefined();
      expect(result.data.previewScoringModel.rows).toHaveLength(1);
      console.log(
        `${String(length).padStart(11)} | ${previewMs.toFixed(1).padStart(22)} | ${neighbourMs.toFixed(1).padStart(34)}`,
      );
    }
  } finally {
    await h.close();
  }
});
