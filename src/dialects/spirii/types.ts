import type { CustomerType } from '../../core/model.ts';

// Spirii's four customer types and the canonical types behind them. Canonical person-like
// types Spirii has no name for (contact, employee, other) show as Private, and filtering by
// Private finds them, so what a list renders and what it filters on always agree.

export const SPIRII_TYPES = ['Private', 'Business', 'CPO', 'CPOSubsidiary'] as const;
export type SpiriiType = (typeof SPIRII_TYPES)[number];

/** Types a client may create; CPOs are set up by the platform, not through this API. */
export const CREATABLE_TYPES: readonly SpiriiType[] = ['Private', 'Business', 'CPOSubsidiary'];

export const TYPE_IN: Record<SpiriiType, CustomerType> = {
  Private: 'individual',
  Business: 'business',
  CPO: 'operator',
  CPOSubsidiary: 'operator_subsidiary',
};

export const CANONICAL_TYPES_OF: Record<SpiriiType, CustomerType[]> = {
  Private: ['individual', 'contact', 'employee', 'other'],
  Business: ['business'],
  CPO: ['operator'],
  CPOSubsidiary: ['operator_subsidiary'],
};

export const TYPE_OUT: Record<CustomerType, SpiriiType> = {
  individual: 'Private',
  contact: 'Private',
  employee: 'Private',
  other: 'Private',
  business: 'Business',
  operator: 'CPO',
  operator_subsidiary: 'CPOSubsidiary',
};

/** Case-insensitive lookup, as Spirii's model binding matches enum names. */
export function matchEnum<T extends string>(values: readonly T[], raw: string): T | undefined {
  const lower = raw.toLowerCase();
  return values.find((v) => v.toLowerCase() === lower);
}
