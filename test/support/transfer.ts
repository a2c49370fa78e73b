import assert from 'node:assert/strict';

// Imports and exports through real HTTP, as a client runs them.

export async function exportText(base: string, key: string, query = ''): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${base}/v1/customers/export?${query}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** POSTs a file to /v1/imports and, if it is still running, waits for its end. */
export async function importText(base: string, key: string, body: string, query = '', contentType = 'application/x-ndjson'): Promise<any> {
  const res = await fetch(`${base}/v1/imports?${query}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': contentType }, body });
  let imp = await res.json();
  assert.ok(res.status === 201 || res.status === 202, `${res.status} ${JSON.stringify(imp)}`);
  while (imp.status === 'running') {
    await new Promise((r) => setTimeout(r, 100));
    imp = await (await fetch(`${base}/v1/imports/${imp.id}`, { headers: { authorization: `Bearer ${key}` } })).json();
  }
  return imp;
}

export const ndjson = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
export const parseNdjson = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
