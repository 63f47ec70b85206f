import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address';

const request = (remote: string, forwarded?: string) =>
  ({
    socket: { remoteAddress: remote },
    headers: forwarded ? { 'x-forwarded-for': forwarded } : {},
  }) as unknown as IncomingMessage;

describe('the client address failed authentications are counted by', () => {
  it('is the socket address unless the hop is a trusted proxy', () => {
    const none = () => false;
    const loopback = (address: string) => address === '127.0.0.1';
    expect(clientAddress(request('203.0.113.9', '10.0.0.1'), none)).toBe('203.0.113.9');
    expect(clientAddress(request('127.0.0.1', '10.0.0.1'), loopback)).toBe('10.0.0.1');
    // A client cannot pick its address by sending the header itself through one proxy.
    expect(clientAddress(request('127.0.0.1', 'spoofed, 198.51.100.7'), loopback)).toBe(
      '198.51.100.7',
    );
    expect(clientAddress(request('127.0.0.1'), loopback)).toBe('127.0.0.1');
  });
});
