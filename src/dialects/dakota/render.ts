import type { Customer, KycLink, User } from '../../core/model.ts';

// Canonical records in Dakota's shapes: Unix-second timestamps, optional fields left out
// rather than sent as null, and the link vocabulary Dakota documents.

export const unixSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

const BUSINESS_TYPES = new Set(['business', 'operator', 'operator_subsidiary']);
/** Dakota knows two kinds of customer; operators and their subsidiaries are businesses. */
export const customerType = (c: Pick<Customer, 'type'>) => (BUSINESS_TYPES.has(c.type) ? 'business' : 'individual');

// Persona's legacy link values, as Dakota maps them for kyc_status.
const LEGACY_LINK_STATUS: Record<string, string> = { created: 'not_started', completed: 'approved', needs_review: 'in_review' };

export function kybLink(l: KycLink) {
  return {
    provider_id: l.provider_id,
    link_type: l.link_type,
    url: l.url,
    status: LEGACY_LINK_STATUS[l.status] ?? l.status,
    created_at: unixSeconds(l.created_at),
    updated_at: unixSeconds(l.updated_at),
    ...(l.expires_at ? { expires_at: unixSeconds(l.expires_at) } : {}),
    ...(l.deleted_at ? { deleted_at: unixSeconds(l.deleted_at) } : {}),
  };
}

function providerStatus(p: Record<string, unknown>) {
  return {
    provider_id: String(p.provider_id ?? ''),
    status: String(p.status ?? 'not_started'),
    ...(Array.isArray(p.endorsements) ? { endorsements: p.endorsements.map(String) } : {}),
  };
}

/** The canonical fields renderCustomer reads: lists ask Postgres for these alone. */
export const CUSTOMER_FIELDS = [
  'id',
  'display_name',
  'email',
  'type',
  'kyb_status',
  'kyc_status',
  'kyc_links',
  'provider_statuses',
  'application',
  'created_at',
  'updated_at',
  'deleted_at',
  'parent_id',
  'parent_name',
  'is_sub_client',
] as const;

export function renderCustomer(c: Customer) {
  const app = c.application;
  return {
    id: c.id,
    name: c.display_name ?? '',
    ...(c.email ? { email: c.email } : {}),
    customer_type: customerType(c),
    kyb_status: c.kyb_status,
    kyc_status: c.kyc_status,
    kyb_links: c.kyc_links.map(kybLink),
    provider_statuses: c.provider_statuses.map(providerStatus),
    ...(app ? { application_id: app.id, application_status: app.status } : {}),
    ...(app?.decision ? { decision: app.decision } : {}),
    ...(app?.url ? { application_url: app.url } : {}),
    created_at: unixSeconds(c.created_at),
    updated_at: unixSeconds(c.updated_at),
    ...(c.deleted_at ? { deleted_at: unixSeconds(c.deleted_at) } : {}),
    ...(c.parent_id ? { sub_client_id: c.parent_id } : {}),
    ...(c.parent_id && c.parent_name ? { sub_client_name: c.parent_name } : {}),
    is_sub_client: c.is_sub_client,
  };
}

/** The canonical fields renderUser reads. */
export const USER_FIELDS = ['id', 'first_name', 'last_name', 'email', 'role', 'swift_enabled', 'created_at'] as const;

export function renderUser(u: User) {
  return {
    id: u.id,
    first_name: u.first_name,
    last_name: u.last_name,
    email: u.email,
    role: u.role,
    swift_enabled: u.swift_enabled,
    created_at: unixSeconds(u.created_at),
  };
}
