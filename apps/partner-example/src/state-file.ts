import { readFileSync, renameSync, writeFileSync } from 'node:fs';

interface StoredState {
  lastEventId: string;
  savedAt: string;
}

/** The last event handled, kept on disk; written atomically (temporary file, then rename). */
export class StateFile {
  private last: string | null;

  constructor(readonly path: string) {
    this.last = StateFile.read(path);
  }

  get lastEventId(): string | null {
    return this.last;
  }

  save(eventId: string): void {
    const state: StoredState = { lastEventId: eventId, savedAt: new Date().toISOString() };
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(state)}\n`);
    renameSync(temporary, this.path);
    this.last = eventId;
  }

  private static read(path: string): string | null {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`state file ${path} is not JSON: fix or delete it to start from live events`);
    }
    const id = (parsed as Partial<StoredState> | null)?.lastEventId;
    // Quorum's event ids are opaque ("account:" and 22 characters); older ones were numbers.
    if (typeof id !== 'string' || !/^account:([A-Za-z0-9_-]{22}|\d{1,18})$/.test(id)) {
      throw new Error(
        `state file ${path} has no account event id ("account:…") as lastEventId: fix or delete it to start from live events`,
      );
    }
    return id;
  }
}
