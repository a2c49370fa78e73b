import { and, conjunctsOf, type Filter, type ListQuery } from './list-query.ts';

declare const scoped: unique symbol;

/**
 * A query bound to one account, with the soft-delete rule applied. The compiler accepts only
 * this type, so no list can reach SQL without passing through these central rewrites.
 */
export type ScopedQuery = ListQuery & { readonly accountId: string; readonly [scoped]: true };

const DELETED_RULE: Record<ListQuery['deleted'], Filter | undefined> = {
  exclude: { kind: 'null', field: 'deleted_at', isNull: true },
  include: undefined,
  only: { kind: 'null', field: 'deleted_at', isNull: false },
};

export function scopeQuery(query: ListQuery, accountId: string): ScopedQuery {
  if (!/^[PT]\d{8}$/.test(accountId)) throw new Error(`not an account id: ${accountId}`);
  return Object.freeze({
    ...query,
    filter: and(DELETED_RULE[query.deleted], query.filter),
    accountId,
  }) as ScopedQuery;
}

/**
 * Whether a filter tests nothing but soft deletion (what `scopeQuery` adds): the account's rows
 * in the sort order's index then bound its matches.
 */
export const onlyDeletion = (f: Filter): boolean => conjunctsOf(f).every((c) => c.kind === 'null' && c.field === 'deleted_at');
