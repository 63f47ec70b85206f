import { describe, expect, it } from 'vitest';
import {
  backfillProgressEventId,
  decodeEventMessage,
  encodeEventMessage,
  type ScoreEvent,
} from './score-events';

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

describe('backfill progress event ids', () => {
  it('differ between the last batch and the completion, which have the same count', () => {
    const id = '6f1c2c1e-0000-4a4a-8a8a-000000000009';
    const states = [
      backfillProgressEventId(id, 'PENDING', 0, 0),
      backfillProgressEventId(id, 'RUNNING', 2, 0),
      backfillProgressEventId(id, 'RUNNING', 3, 1),
      backfillProgressEventId(id, 'FAILED', 3, 1),
    ];
    expect(new Set(states).size).toBe(4);
    expect(states[3]).toBe(`backfill:${id}:4:FAILED`);
  });
});
