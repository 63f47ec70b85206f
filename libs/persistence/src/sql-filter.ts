/** Accumulates WHERE conditions with numbered parameters for hand-written SQL. */
export class SqlFilter {
  readonly conditions: string[] = [];
  readonly params: unknown[] = [];

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  add(condition: string): this {
    this.conditions.push(condition);
    return this;
  }

  where(): string {
    return this.conditions.length ? this.conditions.join(' AND ') : 'TRUE';
  }
}
