import type { Statement } from './compiler/compile-list.ts';

/**
 * Exact counts, remembered per (statement, parameters) with the account's write version they
 * were taken at. An entry is used only when the version it carries is the current one, so a
 * cached count is never stale; any write to the account moves the version on.
 */
export class CountCache {
  private entries = new Map<string, { version: string; total: number }>();
  constructor(private readonly max: number) {}

  private key(stmt: Statement): string {
    return stmt.text + '\u0000' + JSON.stringify(stmt.params);
  }

  get(stmt: Statement): { version: string; total: number } | undefined {
    return this.entries.get(this.key(stmt));
  }

  set(stmt: Statement, version: string, total: number) {
    const key = this.key(stmt);
    this.entries.delete(key);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { version, total });
  }
}
