import type { Customer } from '../../core/model.ts';
import { TYPE_OUT } from './types.ts';

// A canonical customer in Spirii's Customer v2 shape. Spirii-only settings live in
// extensions.spirii; records written by other APIs fall back to their canonical fields.

export const SETTINGS = ['contactDetails', 'billingDetails', 'payoutInformation', 'financialSetup', 'billingSettings', 'locations'] as const;
export type SpiriiSettings = Partial<Record<(typeof SETTINGS)[number], unknown>>;

export function settingsOf(c: Pick<Customer, 'extensions'>): SpiriiSettings {
  const s = c.extensions?.spirii;
  return s && typeof s === 'object' && !Array.isArray(s) ? (s as SpiriiSettings) : {};
}

const personName = (c: Customer) => [c.first_name, c.last_name].filter(Boolean).join(' ') || null;

export function locationsOf(c: Pick<Customer, 'extensions'>): number[] {
  const l = settingsOf(c).locations;
  return Array.isArray(l) ? (l as number[]) : [];
}

/** The canonical fields renderCustomer reads: lists ask Postgres for these alone. */
export const CUSTOMER_FIELDS = [
  'number',
  'display_name',
  'first_name',
  'last_name',
  'external_id',
  'type',
  'country',
  'email',
  'phone_number',
  'extensions',
  'operator_number',
  'operator_name',
  'parent_number',
  'parent_name',
  'created_at',
  'updated_at',
] as const;

export function renderCustomer(c: Customer) {
  const s = settingsOf(c);
  return {
    id: c.number,
    name: c.display_name,
    externalId: c.external_id,
    type: TYPE_OUT[c.type],
    country: c.country,
    contactDetails: s.contactDetails ?? { name: personName(c), email: c.email, phone: c.phone_number },
    billingDetails: s.billingDetails ?? null,
    cpo: c.operator_number === null || c.operator_number === undefined ? null : { id: c.operator_number, name: c.operator_name },
    owner: c.parent_number === null || c.parent_number === undefined ? null : { id: c.parent_number, name: c.parent_name },
    locations: locationsOf(c),
    payoutInformation: s.payoutInformation ?? null,
    financialSetup: s.financialSetup ?? null,
    billingSettings: s.billingSettings ?? null,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  };
}

export type SpiriiCustomer = ReturnType<typeof renderCustomer>;
