import { and, eq, inList, listQuery, type Filter, type ListQuery, type ListQueryOf, type SortTerm } from '../../core/list-query.ts';
import { CUSTOMER_TYPES } from '../../core/model.ts';
import { invalid } from '../../core/errors.ts';
import { FROM_DINTERO } from './render.ts';
import type { CustomerListQuery } from './schemas.ts';

// GET /customers/users parameters as one ListQuery. No SQL here: only meaning. Filters combine
// with AND, as the docs state.

/** Newest first. */
export const DEFAULT_SORT: SortTerm[] = [{ key: 'created_at', dir: 'desc' }];
/** A sync walks forward through changes, oldest change first. */
export const SYNC_SORT: SortTerm[] = [{ key: 'updated_at', dir: 'asc' }];

const NOT_CONTACTS = CUSTOMER_TYPES.filter((t) => t !== 'contact');

function typeFilter(type: CustomerListQuery['type']): Filter<'customers'> | undefined {
  if (type === 'any') return undefined;
  // Contacts are left out unless asked for by type=contact or type=any.
  if (type === undefined) return inList('type', NOT_CONTACTS);
  return inList('type', FROM_DINTERO[type]);
}

/** An attribute value given as text also matches the JSON number, boolean or null it spells. */
function attributeMatch(key: string, text: string): Filter<'customers'> {
  const alternatives: Filter<'customers'>[] = [{ kind: 'jsonContains', field: 'attributes', value: { [key]: text } }];
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed === 'number' || typeof parsed === 'boolean') alternatives.push({ kind: 'jsonContains', field: 'attributes', value: { [key]: parsed } });
  } catch {
    /* plain text */
  }
  return alternatives.length === 1 ? alternatives[0] : { kind: 'or', filters: alternatives };
}

function attributesFilter(keys: string[] | undefined, values: string[] | undefined): Filter<'customers'> | undefined {
  if (values && !keys) throw invalid('attributes_values', 'must be combined with attributes_keys');
  if (!keys) return undefined;
  if (values && values.length > keys.length) throw invalid('attributes_values', 'has more items than attributes_keys');
  // The i-th value belongs to the i-th key; keys without a value only have to be present.
  return and({ kind: 'jsonHasKeys', field: 'attributes', keys }, ...(values ?? []).map((v, i) => attributeMatch(keys[i], v)));
}

/** The list query; `page` is filled in by the caller, which resolves starting_after. */
export function customerListQuery(p: CustomerListQuery, page: ListQuery['page']): ListQueryOf<'customers'> {
  if (p.since_datetime !== undefined && p.starting_after !== undefined) throw invalid('since_datetime', 'cannot be combined with starting_after');
  if (p.search !== undefined && p.search.trim() === '') throw invalid('search', 'must not be empty');
  const token: Filter<'customers'> | undefined = p.token_value !== undefined || p.token_type !== undefined ? { kind: 'hasToken', value: p.token_value, type: p.token_type } : undefined;
  const sync = p.since_datetime !== undefined;
  const filter = and(
    typeFilter(p.type),
    token,
    p.email !== undefined ? eq('email', p.email) : undefined,
    p.phone_number !== undefined ? eq('phone_number', p.phone_number) : undefined,
    p.tag_id !== undefined ? { kind: 'hasTag', tagId: p.tag_id } : undefined,
    attributesFilter(p.attributes_keys, p.attributes_values),
    // After it: the documented loop sends back the latest updated_at it received, and no two
    // changes share one (a page never ends inside a group that does: sync-page.ts).
    sync ? { kind: 'range', field: 'updated_at', gt: p.since_datetime } : undefined,
  );
  return listQuery({
    resource: 'customers',
    filter,
    search: p.search !== undefined ? { term: p.search.trim(), fields: ['name', 'first_name', 'last_name', 'phone_number', 'external_id', 'email'], mode: 'prefix' } : undefined,
    sort: sync ? SYNC_SORT : DEFAULT_SORT,
    page,
    count: p.total,
    // Deleted customers only with include_deleted, as the docs say, in a sync too (projected when rendered).
    deleted: p.include_deleted ? 'include' : 'exclude',
  });
}
