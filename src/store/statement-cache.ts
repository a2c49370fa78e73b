import { LRUCache } from 'lru-cache';
import type { ScopedQuery } from '../core/scope.ts';
import type { Statement } from './compiler/compile-list.ts';

const BARE_NULL = /[[:,]null/;

function hasNonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (value && typeof value === 'object') return Object.values(value).some(hasNonFinite);
  return false;
}

/**
 * Compiled statements by the query they were compiled from, account and values included: the
 * compiler is a pure function of the query, and clients ask for the same few pages over and
 * over (a first page, a filter a screen keeps open). Compiling a page statement built ~3 KB of
 * text and took about 30 µs of CPU a request, a tenth of a page's (BENCHMARKS.md).
 * Bounded by the size of what it holds, so a client sending huge filters cannot grow it.
 */
export class StatementCache {
  private readonly cache = new LRUCache<string, Statement>({
    maxSize: 4_000_000,
    sizeCalculation: (stmt, key) => stmt.text.length + key.length,
  });

  /** The statement `compile` makes of `q` under `variant` (which of its statements, which options). */
  get(q: ScopedQuery, variant: string, compile: () => Statement): Statement {
    const key = variant + JSON.stringify(q);
    // JSON writes NaN and ±Infinity as null, so two queries could share a key. The edge refuses
    // them (input-guard.ts); one that gets here anyway is compiled, never cached.
    if (BARE_NULL.test(key) && hasNonFinite(q)) return compile();
    let stmt = this.cache.get(key);
    if (!stmt) {
      const made = compile();
      // Shared by every request that asks the same: nothing may change it.
      stmt = Object.freeze({ ...made, params: Object.freeze([...made.params]) as unknown[] });
      this.cache.set(key, stmt);
    }
    return stmt;
  }
}
