// The native API's rows of the query mix, shared by `npm run bench` and `npm run bench:embedded`
// so both ask the same questions of the same kind of account.

import type { ListQuery } from '../src/core/list-query.ts';
import { customerListQuery } from '../src/dialects/native/list-params.ts';
import { customerSearchQuery } from '../src/dialects/native/search-params.ts';

export interface Load {
  name: string;
  url: string;
  headers: Record<string, string>;
  /** The query the route builds from the same parameters: its statement is the row's floor. */
  floor?: ListQuery;
}

/**
 * The query-power rows (operators, a JSON-key filter, the search language): each a route and its
 * query parameters, so `npm run bench` can compile the same ListQuery for its database floor.
 * The seed leaves `metadata` empty and gives 30% of customers an `attributes.tier` (gold, silver
 * or bronze, a tenth each): `attributes[tier]=gold` is the common case of a key filter, and
 * `metadata[tier]=gold`, which no record holds, the known limit (native README).
 */
export const QUERY_POWER: { name: string; route: 'list' | 'search'; params: Record<string, string> }[] = [
  {
    name: 'native: three operators + sort (created_at[gte], country[in], kyb_status[nin], -created_at)',
    route: 'list',
    params: { 'created_at[gte]': '2024-01-01T00:00:00Z', 'country[in]': 'DK,SE', 'kyb_status[nin]': 'frozen,rejected', sort: '-created_at' },
  },
  { name: 'native: attributes[tier]=gold (a tenth of the account)', route: 'list', params: { 'attributes[tier]': 'gold' } },
  { name: 'native: metadata[tier]=gold (no record holds it)', route: 'list', params: { 'metadata[tier]': 'gold' } },
  { name: 'native: search language, query=smith country:DK -kyb_status:frozen', route: 'search', params: { query: 'smith country:DK -kyb_status:frozen' } },
];

/** A list row: its URL, and the query the route builds from the same parameters as its floor. */
const listRow = (name: string, base: string, key: Record<string, string>, params: Record<string, string>, route: 'list' | 'search' = 'list'): Load => ({
  name,
  url: `${base}/v1/customers${route === 'search' ? '/search' : ''}?${new URLSearchParams({ ...params, limit: '20' })}`,
  headers: key,
  floor: (route === 'search' ? customerSearchQuery : customerListQuery)({ ...params, limit: 20 } as never),
});

/** `depth`: the id of a record half-way through the account; `selective`: a rare search term. */
export function nativeMix(base: string, key: Record<string, string>, opts: { depthLabel: string; depthId: string; selective: string }): Load[] {
  return [
    listRow('native: first page', base, key, {}),
    { name: 'native: first page, fields=id,name,email', url: `${base}/v1/customers?limit=20&fields=id,name,email`, headers: key },
    listRow(`native: page at cursor depth ${opts.depthLabel}`, base, key, { starting_after: opts.depthId }),
    listRow('native: filtered + sorted page', base, key, { kyb_status: 'active', type: 'business', sort: '-created_at' }),
    { name: 'native: search, selective', url: `${base}/v1/customers?search=${encodeURIComponent(opts.selective)}&limit=20`, headers: key },
    { name: 'native: search, common name token', url: `${base}/v1/customers?search=smith&limit=20`, headers: key },
    { name: 'native: count, unfiltered', url: `${base}/v1/customers?count=true&limit=1`, headers: key },
    { name: 'native: count, one filter', url: `${base}/v1/customers?count=true&kyb_status=active&limit=1`, headers: key },
    { name: 'native: count, three filters', url: `${base}/v1/customers?count=true&kyb_status=active&type=business&country=DK&limit=1`, headers: key },
    ...QUERY_POWER.map((row) => listRow(row.name, base, key, row.params, row.route)),
  ];
}
