import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateFile } from './state-file';

const dir = () => mkdtempSync(path.join(tmpdir(), 'partner-state-'));

describe('StateFile', () => {
  it('starts empty without a file, then keeps the last event id across instances', () => {
    const file = path.join(dir(), 'state.json');
    const state = new StateFile(file);
    expect(state.lastEventId).toBeNull();
    state.save('account:41');
    state.save('account:K5dJteZ7n-KYagVRKg1LIQ');
    expect(state.lastEventId).toBe('account:K5dJteZ7n-KYagVRKg1LIQ');
    expect(new StateFile(file).lastEventId).toBe('account:K5dJteZ7n-KYagVRKg1LIQ');
    // Written through a temporary file and a rename: nothing else is left behind.
    expect(readdirSync(path.dirname(file))).toEqual(['state.json']);
  });

  it('refuses a file it cannot trust, naming the file and the way out', () => {
    const file = path.join(dir(), 'state.json');
    writeFileSync(file, '{"lastEventId":');
    expect(() => new StateFile(file)).toThrow(/is not JSON: fix or delete it/);
    writeFileSync(file, JSON.stringify({ lastEventId: 'lead:7' }));
    expect(() => new StateFile(file)).toThrow(/no account event id \("account:…"\) as lastEventId/);
    expect(readFileSync(file, 'utf8')).toContain('lead:7');
  });
});
