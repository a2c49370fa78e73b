// The native API's rows of the query mix, shared by `npm run bench` and `npm run bench:embedded`
// so both ask the same questions of the same kind of account.

export interface Load {
  name: string;
  url: string;
  headers: Record<string, string>;
}

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
  ];
}
