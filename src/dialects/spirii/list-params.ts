import { and, inList, listQuery, type FieldTest, type ListQueryOf, type SortKey } from '../../core/list-query.ts';
import { bad, customerId, integer, isoTime, many, nextDay, single, type ParsedTime, type RawQuery } from './query-values.ts';
import { CANONICAL_TYPES_OF, SPIRII_TYPES, matchEnum } from './types.ts';
import { CUSTOMER_FIELDS } from './render.ts';
import { sqlInstant } from '../../core/instant.ts';

// GET /v2/customers parameters, parsed into one ListQuery. No SQL here: only meaning.

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;
export const MAX_OFFSET = 2_147_483_647;
export const MAX_SEARCH = 200;

const SORT_BY = ['id', 'name', 'type', 'ownerName', 'cpoName', 'createdAt', 'updatedAt'] as const;
type SortBy = (typeof SORT_BY)[number];
const SORT_KEY: Record<SortBy, SortKey> = {
  id: 'number',
  name: 'name',
  type: 'type',
  ownerName: 'parent_name',
  cpoName: 'operator_name',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};
const DIRECTIONS = ['asc', 'desc'] as const;

/**
 * The end (exclusive) of what a given time names: a date alone is the whole UTC day, a
 * date-time its whole millisecond, the precision responses show (stored times may be finer).
 */
const end = (t: ParsedTime) => (t.dayOnly ? nextDay(t.at) : new Date(t.at.getTime() + 1));

/** createdAt / updatedAt and their From / To bounds. */
function timeFilters<F extends 'created_at' | 'updated_at'>(q: RawQuery, prefix: 'createdAt' | 'updatedAt', field: F): { filters: FieldTest<F>[]; given: boolean; from: boolean } {
  const at = single(q, prefix);
  const from = single(q, `${prefix}From`);
  const to = single(q, `${prefix}To`);
  const filters: FieldTest<F>[] = [];
  if (at !== undefined) {
    const t = isoTime(prefix, at);
    filters.push({ kind: 'range', field, gte: sqlInstant(t.at), lt: sqlInstant(end(t)) });
  }
  if (from !== undefined) filters.push({ kind: 'range', field, gte: sqlInstant(isoTime(`${prefix}From`, from).at) });
  if (to !== undefined) {
    const t = isoTime(`${prefix}To`, to);
    filters.push({ kind: 'range', field, lt: sqlInstant(end(t)) });
  }
  return { filters, given: filters.length > 0, from: from !== undefined };
}

/** The list a `GET /v2/customers` reads: its filters, order and page, and the fields its records render from. */
export function customerListQuery(q: RawQuery): ListQueryOf<'customers'> {
  const limit = single(q, 'limit') === undefined ? DEFAULT_LIMIT : integer('limit', single(q, 'limit')!, 1, MAX_LIMIT);
  const offset = single(q, 'offset') === undefined ? 0 : integer('offset', single(q, 'offset')!, 0, MAX_OFFSET);

  const created = timeFilters(q, 'createdAt', 'created_at');
  const updated = timeFilters(q, 'updatedAt', 'updated_at');

  // The documented defaults: id, else createdAt with a createdAt* filter, else updatedAt with an
  // updatedAt* filter (winning over createdAt*); descending unless a From bound is given.
  const rawSort = single(q, 'sortBy');
  const sortBy = rawSort === undefined ? (updated.given ? 'updatedAt' : created.given ? 'createdAt' : 'id') : matchEnum(SORT_BY, rawSort);
  if (!sortBy) throw bad('sortBy', `unknown value "${rawSort}"; use one of ${SORT_BY.join(', ')}`);
  const rawDir = single(q, 'sortDirection');
  const dir = rawDir === undefined ? (created.from || updated.from ? 'asc' : 'desc') : matchEnum(DIRECTIONS, rawDir);
  if (!dir) throw bad('sortDirection', `unknown value "${rawDir}"; use asc or desc`);

  const ids = many(q, 'customerIds')?.map((v) => customerId('customerIds', v));
  const types = many(q, 'types')?.map((v) => {
    const t = matchEnum(SPIRII_TYPES, v);
    if (!t) throw bad('types', `unknown type "${v}"; use one of ${SPIRII_TYPES.join(', ')}`);
    return t;
  });
  const ref = (name: string) => {
    const v = single(q, name);
    return v === undefined ? undefined : ({ by: 'number', value: customerId(name, v) } as const);
  };
  const parent = ref('parentId');
  const owner = ref('ownerId');
  const operator = ref('operatorId');

  const search = single(q, 'search');
  if (search !== undefined && search.length > MAX_SEARCH) throw bad('search', `must be at most ${MAX_SEARCH} characters`);

  const filter = and(
    ids ? inList('number', ids) : undefined,
    types ? inList('type', [...new Set(types.flatMap((t) => CANONICAL_TYPES_OF[t]))]) : undefined,
    parent ? { kind: 'childOf', parent } : undefined,
    owner ? { kind: 'descendantOf', ancestor: owner } : undefined,
    operator ? { kind: 'underOperator', operator } : undefined,
    ...created.filters,
    ...updated.filters,
  );
  return listQuery({
    resource: 'customers',
    filter,
    search: search !== undefined && search.trim() !== '' ? { term: search.trim(), fields: ['name', 'first_name', 'last_name', 'number', 'external_id'], mode: 'substring' } : undefined,
    sort: [{ key: SORT_KEY[sortBy], dir }],
    page: { kind: 'offset', limit, offset },
    count: true,
    fields: CUSTOMER_FIELDS,
  });
}
