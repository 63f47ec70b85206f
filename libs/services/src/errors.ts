export interface InputIssue {
  /** Where the problem is, e.g. `accounts[3].domain`. */
  path: string;
  message: string;
}

/** The caller sent something invalid; nothing was written. */
export class InputError extends Error {
  constructor(readonly issues: InputIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
    this.name = 'InputError';
  }
}

/** Collects every problem in a request before refusing it, so one answer names them all. */
export class IssueCollector {
  readonly issues: InputIssue[] = [];

  add(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  throwIfAny(): void {
    if (this.issues.length > 0) throw new InputError(this.issues);
  }
}

export class NotFoundError extends Error {
  constructor(
    readonly entity: string,
    readonly id: string,
    readonly path?: string,
  ) {
    super(`${entity} ${id} not found`);
    this.name = 'NotFoundError';
  }
}

/** Training refused: too few outcomes to learn from. Nothing was written. */
export class InsufficientOutcomesError extends Error {
  constructor(
    message: string,
    readonly conversions: number,
    readonly nonConversions: number,
    readonly required: number,
  ) {
    super(message);
    this.name = 'InsufficientOutcomesError';
  }
}
