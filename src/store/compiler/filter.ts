import type { Filter } from '../../core/list-query.ts';
import { RosterError } from '../../core/errors.ts';
import { field, type ListContext } from './context.ts';
import { unplanned } from './params.ts';
import { sortSql, sortTerms } from './page.ts';

// The filter walker: and, or, not and the tests of a field's value, which every resource has, are
// compiled here; a test only some resources have is compiled by its resource (resources.ts).
// Both are switches keyed by node kind, so a new kind is a type error until it is handled.

const OPS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/**
 * A filter's SQL twice over, naming the same parameters. `page`, for a page's rows, keeps from the
 * planner the values no plan of theirs depends on (`unplanned`). `count` shows it every one: a
 * count reads every match rather than walking the order's index, so how wide a range of the sort
 * key is decides its plan, and an estimated count is the planner's reading of the values.
 */
export interface FilterSql {
  page: string;
  count: string;
}

/** The same SQL for both. */
const same = (sql: string): FilterSql => ({ page: sql, count: sql });
/** A test whose value is hidden from the planner in a page's SQL, and in sight in a count's. */
const valueTest = (hide: boolean, sql: (value: string) => string, value: string): FilterSql => ({ page: sql(hide ? unplanned(value) : value), count: sql(value) });
const each = (parts: FilterSql[], sql: (texts: string[]) => string): FilterSql => ({ page: sql(parts.map((x) => x.page)), count: sql(parts.map((x) => x.count)) });

/**
 * The SQL of a filter. `negated`: the test is under a NOT, where an equality or an in-list
 * becomes `<>` or `<> ALL`, which no index serves.
 */
export function compileFilter(ctx: ListContext, node: Filter, negated = false): FilterSql {
  const { p } = ctx;
  switch (node.kind) {
    case 'and': {
      const parts = node.filters.map((f) => compileFilter(ctx, f, negated)).filter((x) => x.page !== 'TRUE');
      return parts.length === 0 ? same('TRUE') : each(parts, (t) => t.join(' AND '));
    }
    case 'or':
      return node.filters.length === 0
        ? same('FALSE')
        : each(
            node.filters.map((f) => compileFilter(ctx, f, negated)),
            (t) => `(${t.join(' OR ')})`,
          );
    case 'not': {
      // Two-valued: a test that is NULL (a comparison with a NULL column) counts as false, so
      // its negation keeps the record. Plain NOT where the inner SQL is never NULL, so that
      // NOT EXISTS stays an anti-join the planner knows.
      const nullable = mayBeNull(ctx, node.filter);
      return each([compileFilter(ctx, node.filter, !negated)], ([inner]) => (nullable ? `(${inner}) IS NOT TRUE` : `NOT (${inner})`));
    }
    case 'eq': {
      const f = field(ctx, node.field);
      return valueTest(f.rowOnly === true || negated, (v) => `${f.sql} = ${v}`, p.value(f, node.value));
    }
    case 'in': {
      const f = field(ctx, node.field);
      if (node.values.length === 0) return same('FALSE');
      // One value is an equality. PostgreSQL 15 reads no btree in order past a column tested
      // with = ANY: one status sorted by time would sort every record of that status.
      if (node.values.length === 1) return compileFilter(ctx, { kind: 'eq', field: node.field, value: node.values[0] }, negated);
      const values = p.array(f, node.values);
      // Hidden, the array is cast again: `= ANY((SELECT …))` alone would read as a subquery's rows.
      const shown = f.rowOnly === true || negated ? `${unplanned(values)}::${f.type}[]` : values;
      return { page: `${f.sql} = ANY(${shown})`, count: `${f.sql} = ANY(${values})` };
    }
    case 'range': {
      const f = field(ctx, node.field);
      // A range of the order's first key is the start and end of the walk of its index, whatever
      // its bounds; a range of another indexed column may be narrow enough to read by its index.
      const hide = f.rowOnly === true || f.sql === sortSql(ctx, sortTerms(ctx)[0]);
      const parts = (['gt', 'gte', 'lt', 'lte'] as const).filter((k) => node[k] !== undefined).map((k) => valueTest(hide, (v) => `${f.sql} ${OPS[k]} ${v}`, p.value(f, node[k]!)));
      return parts.length === 0 ? same('TRUE') : each(parts, (t) => t.join(' AND '));
    }
    case 'null':
      return same(`${field(ctx, node.field).sql} IS ${node.isNull ? '' : 'NOT '}NULL`);
    case 'prefix': {
      const f = field(ctx, node.field);
      if (f.type !== 'text') throw new RosterError('invalid_request', `${node.field} cannot be matched by prefix`);
      return same(`starts_with(${f.sql}, ${p.value(f, node.value)})`);
    }
    case 'contains': {
      const f = field(ctx, node.field);
      if (f.type !== 'text') throw new RosterError('invalid_request', `${node.field} cannot be matched by substring`);
      // Both sides through PostgreSQL's lower(), so the case folding is one and the same; strpos
      // needs no escaping of LIKE's wildcards. As a row test no index serves it; a top-level one
      // on a field the search text holds is read through the trigram index (filter-lookup.ts).
      return same(`strpos(lower(${f.sql}), lower(${ctx.p.add(node.value, 'text')})) > 0`);
    }
    default:
      // A test only some resources have: the resource compiles its own (resources.ts).
      if (!ctx.def.tests) throw new RosterError('invalid_request', `${ctx.q.resource} cannot be filtered by ${node.kind}`);
      return same(ctx.def.tests(node, p, ctx.account));
  }
}

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
