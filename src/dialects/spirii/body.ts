import { bad } from './query-values.ts';
import { CREATABLE_TYPES, SPIRII_TYPES, TYPE_IN, matchEnum } from './types.ts';
import type { CustomerType } from '../../core/model.ts';

// POST and PUT /v2/customers bodies, checked field by field so every error names its field.
// Fields the endpoint does not take (e.g. id, cpo, owner, locations echoed back from a GET)
// are ignored, as Spirii's own model binding ignores them.

export interface SpiriiWrite {
  name?: string;
  externalId?: string | null;
  country?: string;
  type?: CustomerType;
  ownerId?: number;
  contactDetails?: Record<string, unknown>;
  billingDetails?: Record<string, unknown> | null;
  payoutInformation?: Record<string, unknown> | null;
  financialSetup?: Record<string, unknown> | null;
  billingSettings?: Record<string, unknown> | null;
}

const OPTIONAL_SETTINGS = ['billingDetails', 'payoutInformation', 'financialSetup', 'billingSettings'] as const;
const CONTACT_FIELDS = ['name', 'email', 'phone'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const missing = (field: string) => bad(field, 'is required', 'missing_required_field');

function text(body: Record<string, unknown>, field: string, max: number, required: boolean): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) {
    if (required) throw missing(field);
    return undefined;
  }
  if (typeof v !== 'string') throw bad(field, 'must be a string');
  if (v.trim() === '') throw bad(field, 'must not be empty');
  if (v.length > max) throw bad(field, `must be at most ${max} characters`);
  return v;
}

function contact(v: unknown): Record<string, unknown> {
  if (!isObject(v)) throw bad('contactDetails', 'must be an object with name, email and phone');
  for (const k of CONTACT_FIELDS) {
    const x = v[k];
    if (x !== undefined && x !== null && typeof x !== 'string') throw bad(`contactDetails.${k}`, 'must be a string');
  }
  const email = v.email;
  if (typeof email === 'string' && email !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw bad('contactDetails.email', 'is not an email address');
  return v;
}

export function parseWrite(raw: unknown, mode: 'create' | 'update'): SpiriiWrite {
  if (!isObject(raw)) throw bad('body', 'must be a JSON object');
  const create = mode === 'create';
  const out: SpiriiWrite = {};

  const name = text(raw, 'name', 80, create);
  if (name !== undefined) out.name = name;
  if (raw.externalId === null) out.externalId = null;
  else {
    const ext = text(raw, 'externalId', 40, false);
    if (ext !== undefined) out.externalId = ext;
  }
  const country = text(raw, 'country', 2, create);
  if (country !== undefined) {
    if (!/^[A-Za-z]{2}$/.test(country)) throw bad('country', 'must be a two-letter country code, e.g. DK');
    out.country = country.toUpperCase();
  }

  // ownerId is required on create; on update null (what a CPO's owner reads as) changes nothing.
  if (raw.ownerId !== undefined && raw.ownerId !== null) {
    if (typeof raw.ownerId !== 'number' || !Number.isSafeInteger(raw.ownerId) || raw.ownerId < 1) throw bad('ownerId', 'must be an integer customer id');
    out.ownerId = raw.ownerId;
  } else if (create) throw missing('ownerId');

  if (create) {
    if (raw.type === undefined || raw.type === null) throw missing('type');
    const t = typeof raw.type === 'string' ? matchEnum(SPIRII_TYPES, raw.type) : undefined;
    if (!t) throw bad('type', `must be one of ${CREATABLE_TYPES.join(', ')}`);
    if (!CREATABLE_TYPES.includes(t)) throw bad('type', `${t} customers cannot be created; use one of ${CREATABLE_TYPES.join(', ')}`);
    out.type = TYPE_IN[t];
    if (raw.contactDetails === undefined || raw.contactDetails === null) throw missing('contactDetails');
  }
  if (raw.contactDetails !== undefined && raw.contactDetails !== null) out.contactDetails = contact(raw.contactDetails);

  for (const field of OPTIONAL_SETTINGS) {
    const v = raw[field];
    if (v === undefined) continue;
    if (v !== null && !isObject(v)) throw bad(field, 'must be an object');
    out[field] = v;
  }
  return out;
}
