import { call } from './stores.ts';

// A small Dintero client for the contract tests: the token call and path helpers.

export async function getToken(base: string, aid: string, clientId: string, secret: string, audienceAid = aid) {
  const basic = Buffer.from(`${clientId}:${secret}`).toString('base64');
  return call(base, 'POST', `/dintero/v1/accounts/${aid}/auth/token`, {
    headers: { authorization: `Basic ${basic}` },
    body: { grant_type: 'client_credentials', audience: `https://api.dintero.com/v1/accounts/${audienceAid}` },
  });
}

export async function token(base: string, aid: string, clientId: string, secret: string): Promise<string> {
  const r = await getToken(base, aid, clientId, secret);
  if (r.status !== 200) throw new Error(`token: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.access_token;
}

export const qs = (params: Record<string, string | number | boolean | string[] | undefined>) => {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) u.append(k, String(one));
  }
  const s = u.toString();
  return s ? `?${s}` : '';
};

/** Every page of a list, following the paging-token header; fails on a repeated id. */
export async function listAll(base: string, key: string, aid: string, params: Record<string, string | number | boolean | string[] | undefined>) {
  const out: any[] = [];
  const seen = new Set<string>();
  let after: string | undefined;
  for (let i = 0; i < 10_000; i++) {
    const r = await call(base, 'GET', `/dintero/v1/accounts/${aid}/customers/users${qs({ ...params, starting_after: after })}`, { key });
    if (r.status !== 200) throw new Error(`list: ${r.status} ${JSON.stringify(r.body)}`);
    for (const c of r.body) {
      if (seen.has(c.id)) throw new Error(`customer ${c.id} returned twice`);
      seen.add(c.id);
      out.push(c);
    }
    after = r.headers.get('paging-token') ?? undefined;
    if (!after) return out;
  }
  throw new Error('paging did not end');
}
