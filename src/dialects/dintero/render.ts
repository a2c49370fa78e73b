import type { Customer, CustomerType } from '../../core/model.ts';
import type { Tag } from '../../store/tags-repo.ts';
import type { CustomerToken } from '../../store/tokens-repo.ts';
import type { DinteroType } from './schemas.ts';

// Canonical records in Dintero's shapes. Timestamps are ISO 8601 in UTC with milliseconds,
// the precision Roster stores, so a since_datetime sync can resume exactly.

const TO_DINTERO: Record<CustomerType, DinteroType> = {
  individual: 'customer',
  business: 'company',
  operator: 'company',
  operator_subsidiary: 'company',
  contact: 'contact',
  employee: 'employee',
  other: 'other',
};

/** The canonical types each Dintero type stands for (company covers operators too). */
export const FROM_DINTERO: Record<DinteroType, CustomerType[]> = {
  customer: ['individual'],
  company: ['business', 'operator', 'operator_subsidiary'],
  contact: ['contact'],
  employee: ['employee'],
  other: ['other'],
};

export const dinteroType = (t: CustomerType): DinteroType => TO_DINTERO[t];

/**
 * The customer_id: the canonical external_id, or the canonical id for a record written
 * elsewhere without one (the GET/PUT/DELETE routes accept both).
 */
export const customerIdOf = (c: Customer) => c.external_id ?? c.id;

const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const orUndefined = <T>(v: T | null) => (v === null ? undefined : v);

/** A company's details; canonical businesses without them show their name as bussiness_name. */
function company(c: Customer): Record<string, unknown> | undefined {
  if (c.company) return c.company;
  if (dinteroType(c.type) === 'company' && c.name) return { bussiness_name: c.name };
  return undefined;
}

/** A deleted customer keeps only its ids and its created and deleted fields (the docs' projection). */
export function renderDeleted(c: Customer) {
  return defined({
    // `type` is required in every customer of the collection, deleted ones too.
    type: dinteroType(c.type),
    id: c.uuid,
    customer_id: customerIdOf(c),
    created_at: c.created_at,
    created_by: orUndefined(c.created_by),
    deleted_at: c.deleted_at,
    deleted_by: orUndefined(c.deleted_by),
  });
}

/**
 * The customer fields Dintero reads and writes under their canonical names: a create or update
 * copies them from the body (customer-input.ts), and a customer shows them.
 */
export const DETAILS = [
  'first_name',
  'last_name',
  'email',
  'phone_number',
  'attributes',
  'status',
  'favorite_store',
  'enrolled_by',
  'marketing_consent',
  'addresses',
  'term',
  'company',
  'gender',
  'date_of_birth',
  'contact_for',
] as const;

/** The canonical fields renderCustomer (and renderDeleted) read: lists ask Postgres for these alone. */
export const CUSTOMER_FIELDS = ['id', 'uuid', 'external_id', 'type', 'name', 'metadata', 'created_at', 'created_by', 'updated_at', 'deleted_at', 'deleted_by', ...DETAILS] as const;

export function renderCustomer(c: Customer) {
  if (c.deleted_at) return renderDeleted(c);
  return defined({
    type: dinteroType(c.type),
    customer_id: customerIdOf(c),
    metadata: c.metadata,
    id: c.uuid,
    created_at: c.created_at,
    created_by: orUndefined(c.created_by),
    updated_at: c.updated_at,
    first_name: c.first_name,
    last_name: c.last_name,
    email: c.email,
    phone_number: c.phone_number,
    attributes: c.attributes,
    status: c.status,
    favorite_store: c.favorite_store,
    enrolled_by: orUndefined(c.enrolled_by),
    marketing_consent: orUndefined(c.marketing_consent),
    addresses: c.addresses,
    term: orUndefined(c.term),
    company: company(c),
    gender: c.gender,
    date_of_birth: c.date_of_birth,
    contact_for: c.contact_for,
  });
}

export const renderTag = (t: Tag) =>
  defined({ id: t.id, tag: t.tag, metadata: t.metadata, created_at: t.created_at, created_by: orUndefined(t.created_by), updated_at: t.updated_at, deleted_at: orUndefined(t.deleted_at) });

export const renderToken = (t: CustomerToken) =>
  defined({
    id: t.id,
    token_id: t.token_id,
    type: t.type,
    value: t.value,
    metadata: t.metadata,
    created_at: t.created_at,
    created_by: orUndefined(t.created_by),
    updated_at: t.updated_at,
    deleted_at: orUndefined(t.deleted_at),
    deleted_by: orUndefined(t.deleted_by),
  });
