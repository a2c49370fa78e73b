import type { ListContext } from './context.ts';
import { expansionItems, expansionRefs } from './expand.ts';
import { selectItems } from './record-items.ts';
import type { PagePlan } from './page.ts';
import { sortValues } from './page.ts';

// What a list statement returns: one row holding the page as JSON text, built by Postgres and
// passed through untouched, with what pagination needs beside it.

/**
 * The single row a list statement returns: the page as JSON text, plus what pagination needs.
 */
export interface ListRow {
  /** The page's records as JSON text, in the requested order, at most `limit` of them. */
  records: string;
  /** Per record, in the same order: its sort values and its id (for cursors). */
  keys: [(string | number | null)[], string][] | null;
  /** Whether a record exists past the page on the side it was read towards. */
  more: boolean;
  anchor_found: boolean | null;
  has_other_side: boolean | null;
  total: string | number | null;
  /** The account's write version in the statement's snapshot, when a count was asked for. */
  version: string | null;
}

export interface PageParts {
  /** The statement's CTEs, in order. */
  ctes: string[];
  /** The page's rows in reading order, one past the limit. */
  rows: string;
  otherSide?: string;
  total: string;
  version: string;
}

/**
 * The statement around the page's rows. The page is fetched one record past the limit, which
 * tells whether there is more on that side; the extra record is dropped here, and a backward
 * page is put back in forward order, so the records leave as finished JSON text that can be
 * passed through untouched.
 */
export function pageStatement(ctx: ListContext, page: PagePlan, parts: PageParts): string {
  const { limit, order } = page;
  const forward = `c._rn ${page.backward ? 'DESC' : 'ASC'}`;
  return (
    (parts.ctes.length ? `WITH ${parts.ctes.join(',\n')}\n` : '') +
    `SELECT coalesce(p.records, '[]')::text AS records, p.keys, coalesce(p.fetched > ${limit}, false) AS more,\n` +
    `  ${page.anchorFound} AS anchor_found,\n  ${parts.otherSide ?? 'NULL::boolean'} AS has_other_side,\n  ${parts.total} AS total,\n  ${parts.version} AS version\n` +
    `FROM (SELECT json_agg((SELECT row_to_json(r) FROM (SELECT ${[recordItems(ctx), ...expansionItems(ctx)].join(', ')}) r) ORDER BY ${forward}) FILTER (WHERE c._rn <= ${limit}) AS records,\n` +
    `    json_agg(json_build_array(${sortValues(ctx, page.keys)}, c.id) ORDER BY ${forward}) FILTER (WHERE c._rn <= ${limit}) AS keys, count(*) AS fetched\n` +
    `  FROM (SELECT c.*${expansionRefs(ctx)}, row_number() OVER (ORDER BY ${order}) AS _rn FROM (${parts.rows}) c) c) p`
  );
}

/** The record's select items: the fields the query asks for, or all of them. */
export const recordItems = (ctx: ListContext): string => selectItems(ctx.def, ctx.q.fields);
