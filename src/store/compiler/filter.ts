import type { Filter } from '../../core/list-query.ts';
import { RosterError } from '../../core/errors.ts';
import { field, type ListContext } from './context.ts';

// The filter walker: and, or, not and the tests of a field's value, which every resource has, are
// compiled here; a test only some resources have is compiled by its resource (resources.ts).
// Both are switches keyed by node kind, so a new kind is a type error until it is handled.

const OPS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

export function compileFilter(ctx: ListContext, node: Filter): string {
  const { p } = ctx;
  switch (node.kind) {
    case 'and':
      return node.filters.length === 0
        ? 'TRUE'
        : node.filters
            .map((f) => compileFilter(ctx, f))
            .filter((s) => s !== 'TRUE')
            .join(' AND ') || 'TRUE';
    case 'or':
      return node.filters.length === 0 ? 'FALSE' : `(${node.filters.map((f) => compileFilter(ctx, f)).join(' OR ')})`;
    case 'not': {
      // Two-valued: a test that is NULL (a comparison with a NULL column) counts as false, so
      // its negation keeps the record. Plain NOT where the inner SQL is never NULL, so that
      // NOT EXISTS stays an anti-join the planner knows.
      const inner = compileFilter(ctx, node.filter);
      return mayBeNull(ctx, node.filter) ? `(${inner}) IS NOT TRUE` : `NOT (${inner})`;
    }
    case 'eq': {
      const f = field(ctx, node.field);
      return `${f.sql} = ${p.value(f, node.value)}`;
    }
    case 'in': {
      const f = field(ctx, node.field);
      if (node.values.length === 0) return 'FALSE';
      // One value is an equality. PostgreSQL 15 reads no btree in order past a column tested
      // with = ANY: one status sorted by time would sort every record of that status.
      if (node.values.length === 1) return `${f.sql} = ${p.value(f, node.values[0])}`;
      return `${f.sql} = ANY(${p.array(f, node.values)})`;
    }
    case 'range': {
      const f = field(ctx, node.field);
      const parts = (['gt', 'gte', 'lt', 'lte'] as const).filter((k) => node[k] !== undefined).map((k) => `${f.sql} ${OPS[k]} ${p.value(f, node[k]!)}`);
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
