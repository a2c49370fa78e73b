import { conjunctsOf, type Filter } from '../../core/list-query.ts';
import { RosterError } from '../../core/errors.ts';
import { field, type ListContext } from './context.ts';
import { unplanned } from './params.ts';

// The filter walker: and, or, not and the tests of a field's value, which every resource has, are
// compiled here; a test only some resources have is compiled by its resource (resources.ts).
// Both are switches keyed by node kind, so a new kind is a type error until it is handled.

const OPS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/**
 * Which filter values the planner is shown. A page's rows (`page`) keep from it the values no
 * plan of theirs depends on (`unplanned`). A count (`count`) shows every one: it reads every
 * match rather than walking the order's index, so how wide a range of the sort key is decides
 * its plan, and an estimated count is the planner's reading of the values themselves.
 */
export type Sight = 'page' | 'count';

/**
 * The SQL of a filter. `negated`: the test is under a NOT, where an equality or an in-list
 * becomes `<>` or `<> ALL`, which no index serves.
 */
export function compileFilter(ctx: ListContext, node: Filter, sight: Sight, negated = false): string {
  const { p } = ctx;
  switch (node.kind) {
    case 'and':
      return node.filters.length === 0
        ? 'TRUE'
        : node.filters
            .map((f) => compileFilter(ctx, f, sight, negated))
            .filter((s) => s !== 'TRUE')
            .join(' AND ') || 'TRUE';
    case 'or':
      return node.filters.length === 0 ? 'FALSE' : `(${node.filters.map((f) => compileFilter(ctx, f, sight, negated)).join(' OR ')})`;
    case 'not': {
      // Two-valued: a test that is NULL (a comparison with a NULL column) counts as false, so
      // its negation keeps the record. Plain NOT where the inner SQL is never NULL, so that
      // NOT EXISTS stays an anti-join the planner knows.
      const inner = compileFilter(ctx, node.filter, sight, !negated);
      return mayBeNull(ctx, node.filter) ? `(${inner}) IS NOT TRUE` : `NOT (${inner})`;
    }
    case 'eq': {
      const f = field(ctx, node.field);
      const value = p.value(f, node.value);
      return `${f.sql} = ${sight === 'page' && (f.rowOnly || negated) ? unplanned(value) : value}`;
    }
    case 'in': {
      const f = field(ctx, node.field);
      if (node.values.length === 0) return 'FALSE';
      // One value is an equality. PostgreSQL 15 reads no btree in order past a column tested
      // with = ANY: one status sorted by time would sort every record of that status.
      if (node.values.length === 1) return compileFilter(ctx, { kind: 'eq', field: node.field, value: node.values[0] }, sight, negated);
      const values = p.array(f, node.values);
      return `${f.sql} = ANY(${sight === 'page' && (f.rowOnly || negated) ? `${unplanned(values)}::${f.type}[]` : values})`;
    }
    case 'range': {
      const f = field(ctx, node.field);
      // A range of the order's first key is the start and end of the walk of its index, whatever
      // its bounds; a range of another indexed column may be narrow enough to read by its index.
      const hidden = sight === 'page' && (f.rowOnly || f.sql === leadingSortKey(ctx));
      const parts = (['gt', 'gte', 'lt', 'lte'] as const)
        .filter((k) => node[k] !== undefined)
        .map((k) => {
          const value = p.value(f, node[k]!);
          return `${f.sql} ${OPS[k]} ${hidden ? unplanned(value) : value}`;
        });
      return parts.join(' AND ') || 'TRUE';
    }
    case 'null':
      return `${field(ctx, node.field).sql} IS ${node.isNull ? '' : 'NOT '}NULL`;
    case 'prefix': {
      const f = field(ctx, node.field);
      if (f.type !== 'text') throw new RosterError('invalid_request', `${node.field} cannot be matched by prefix`);
      return `starts_with(${f.sql}, ${p.value(f, node.value)})`;
    }
    case 'contains': {
      const f = field(ctx, node.field);
      if (f.type !== 'text') throw new RosterError('invalid_request', `${node.field} cannot be matched by substring`);
      // Both sides through PostgreSQL's lower(), so the case folding is one and the same; strpos
      // needs no escaping of LIKE's wildcards. As a row test no index serves it; a top-level one
      // on a field the search text holds is read through the trigram index (filter-lookup.ts).
      return `strpos(lower(${f.sql}), lower(${ctx.p.add(node.value, 'text')})) > 0`;
    }
    default:
      // A test only some resources have: the resource compiles its own (resources.ts).
      if (!ctx.def.tests) throw new RosterError('invalid_request', `${ctx.q.resource} cannot be filtered by ${node.kind}`);
      return ctx.def.tests(node, p, ctx.account);
  }
}

/** The SQL of the order's first key, whose index a page walks. */
function leadingSortKey(ctx: ListContext): string | undefined {
  const first = ctx.q.sort[0];
  const keys: Partial<Record<string, { sql: string }>> = ctx.def.sortKeys;
  return first && keys[first.key]?.sql;
}

/** Whether a filter tests nothing but soft deletion, so that the sort index's rows bound its matches. */
export const onlyDeletion = (f: Filter): boolean => conjunctsOf(f).every((c) => c.kind === 'null' && c.field === 'deleted_at');

/** Whether a filter's SQL may be NULL rather than true or false. */
function mayBeNull(ctx: ListContext, node: Filter): boolean {
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.filters.some((f) => mayBeNull(ctx, f));
    case 'not':
    case 'null':
      return false;
    case 'eq':
    case 'in':
    case 'range':
    case 'prefix':
    case 'contains':
      return field(ctx, node.field).nullable === true;
    default:
      return ctx.def.testMayBeNull?.(node) ?? true;
  }
}
