import { describe, expect, it } from 'vitest';
import { decodeEventMessage, encodeEventMessage, type ScoreEvent } from './score-events';

const lead = {
  type: 'LEAD_SCORE_CHANGED',
  eventId: 'lead:7',
  workspaceId: 'w1',
  at: '2026-11-30T10:00:00.000Z',
  cause: 'activity',
  modelVersionId: 'v1',
  contactId: 'c1',
  accountId: 'a1',
  old: null,
  new: { total: 40, tier: 'WARM', fit: 30, engagement: 10, negative: 0 },
  reasons: [],
} as ScoreEvent;
const account = { ...lead, type: 'ACCOUNT_SCORE_CHANGED', eventId: 'account:3' } as ScoreEvent;

describe('event channel messages', () => {
  it('carry a publish’s events in one message, in order', () => {
    expect(decodeEventMessage(encodeEventMessage([lead, account]))).toEqual([lead, account]);
  });

  it('accept a single event, as workers before batched messages published it', () => {
    expect(decodeEventMessage(JSON.stringify(lead))).toEqual([lead]);
  });

  it('reject a message that is not JSON', () => {
    expect(() => decodeEventMessage('not json')).toThrow(SyntaxError);
  });
});
