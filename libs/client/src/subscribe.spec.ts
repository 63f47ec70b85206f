import { describe, expect, it } from 'vitest';
import { webSocketUrl } from './connection';
import { QuorumConnectionClosedError, QuorumRequestError } from './errors';
import { subscriptionError } from './subscribe';

describe('webSocketUrl', () => {
  it('derives the graphql-ws URL from the HTTP endpoint', () => {
    expect(webSocketUrl('http://localhost:4000/graphql')).toBe('ws://localhost:4000/graphql');
    expect(webSocketUrl('https://q.example.com/graphql')).toBe('wss://q.example.com/graphql');
    expect(webSocketUrl('wss://q.example.com/graphql')).toBe('wss://q.example.com/graphql');
    expect(() => webSocketUrl('ftp://q.example.com')).toThrow(/must be http\(s\) or ws\(s\)/);
  });
});

describe('subscriptionError', () => {
  it('turns what graphql-ws reports into errors a partner can act on', () => {
    const graphql = subscriptionError([
      { message: 'is not a account event id', extensions: { code: 'BAD_USER_INPUT' } },
    ]);
    expect(graphql).toBeInstanceOf(QuorumRequestError);
    expect((graphql as QuorumRequestError).codes).toEqual(['BAD_USER_INPUT']);

    const forbidden = subscriptionError({ code: 4403, reason: 'Forbidden' });
    expect(forbidden).toBeInstanceOf(QuorumConnectionClosedError);
    expect((forbidden as QuorumConnectionClosedError).isAuthFailure).toBe(true);
    expect(
      (subscriptionError({ code: 4408, reason: 'slow' }) as QuorumConnectionClosedError)
        .isAuthFailure,
    ).toBe(false);

    const refused = new Error('connect ECONNREFUSED 127.0.0.1:1');
    expect(subscriptionError({ type: 'error', error: refused, message: refused.message })).toBe(
      refused,
    );
  });
});
