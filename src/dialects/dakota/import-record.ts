import type { CustomerInput } from '../../core/model.ts';
import { checkCustomerInput, identity, isObject, LineError, type ImportRow } from '../../import/import-row.ts';

// A Dakota customer (what GET /dakota/customers returns) as an import line: Unix-second
// timestamps back to instants, kyb_links back to KYC links, the sub-client association back to
// the parent. Dakota has no external id: a record is matched by its id.

const instant = (field: string, v: unknown) => {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new LineError(`${field}: must be Unix seconds`);
  return new Date(v * 1000).toISOString();
};
const optional = (v: unknown) => (v === undefined ? undefined : v);

export function dakotaRecord(raw: unknown): ImportRow {
  if (!isObject(raw)) throw new LineError('a line must be a JSON object');
  if (raw.deleted_at) throw new LineError('deleted_at: a deleted record is not imported');
  if (raw.customer_type !== 'business' && raw.customer_type !== 'individual') throw new LineError('customer_type: must be business or individual');
  if (raw.kyb_links !== undefined && !Array.isArray(raw.kyb_links)) throw new LineError('kyb_links: must be an array');
  const links = ((raw.kyb_links as unknown[] | undefined) ?? []).map((l, i) => {
    if (!isObject(l)) throw new LineError(`kyb_links.${i}: must be an object`);
    return {
      provider_id: l.provider_id,
      link_type: l.link_type,
      url: l.url,
      status: l.status,
      created_at: instant(`kyb_links.${i}.created_at`, l.created_at),
      updated_at: instant(`kyb_links.${i}.updated_at`, l.updated_at),
      ...(l.expires_at !== undefined ? { expires_at: instant(`kyb_links.${i}.expires_at`, l.expires_at) } : {}),
      ...(l.deleted_at !== undefined ? { deleted_at: instant(`kyb_links.${i}.deleted_at`, l.deleted_at) } : {}),
    };
  });
  const input = {
    name: optional(raw.name),
    email: optional(raw.email),
    type: raw.customer_type,
    kyb_status: optional(raw.kyb_status),
    kyc_links: links,
    provider_statuses: raw.provider_statuses ?? [],
    application: raw.application_id === undefined ? null : { id: raw.application_id, status: raw.application_status, decision: raw.decision ?? null, url: raw.application_url ?? null },
    parent_id: raw.sub_client_id ?? null,
    is_sub_client: raw.is_sub_client ?? false,
  } as Record<string, unknown>;
  for (const k of Object.keys(input)) if (input[k] === undefined) delete input[k];
  checkCustomerInput(input);
  return { input: input as CustomerInput, ...identity({ id: raw.id, created_at: raw.created_at === undefined ? undefined : Date.parse(instant('created_at', raw.created_at)) }) };
}
