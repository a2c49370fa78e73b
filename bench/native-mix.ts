// The native API's rows of the query mix, shared by `npm run bench` and `npm run bench:embedded`
// so both ask the same questions of the same kind of account.

export interface Load {
  name: string;
  url: string;
  headers: Record<string, string>;
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

const queryPowerUrl = (base: string, row: (typeof QUERY_POWER)[number]) => `${base}/v1/customers${row.route === 'search' ? '/search' : ''}?${new URLSearchParams({ ...row.params, limit: '20' })}`;

/** `depth`: the id of a record half-way through the account; `selective`: a rare search term. */
export function nativeMix(base: string, key: Record<string, string>, opts: { depthLabel: string; depthId: string; selective: string }): Load[] {
  return [
    { name: 'native: first page', url: `${base}/v1/customers?limit=20`, headers: key },
    { name: 'native: first page, fields=id,name,email', url: `${base}/v1/customers?limit=20&fields=id,name,email`, headers: key },
    { name: `native: page at cursor depth ${opts.depthLabel}`, url: `${base}/v1/customers?limit=20&starting_after=${opts.depthId}`, headers: key },
    { name: 'native: filtered + sorted page', url: `${base}/v1/customers?kyb_status=active&type=business&sort=-created_at&limit=20`, headers: key },
    { name: 'native: search, selective', url: `${base}/v1/customers?search=${encodeURIComponent(opts.selective)}&limit=20`, headers: key },
    { name: 'native: search, common name token', url: `${base}/v1/customers?search=smith&limit=20`, headers: key },
    { name: 'native: count, unfiltered', url: `${base}/v1/customers?count=true&limit=1`, headers: key },
    { name: 'native: count, one filter', url: `${base}/v1/customers?count=true&kyb_status=active&limit=1`, headers: key },
    { name: 'native: count, three filters', url: `${base}/v1/customers?count=true&kyb_status=active&type=business&country=DK&limit=1`, headers: key },
    ...QUERY_POWER.map((row) => ({ name: row.name, url: queryPowerUrl(base, row), headers: key })),
  ];
}
