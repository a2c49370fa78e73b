import type { TSchema } from '@sinclair/typebox';
import type { CustomerInput } from '../core/model.ts';
import { KSUID_PATTERN } from '../core/ids.ts';
import { buildValidator } from '../http/validators.ts';
import { CustomerCreate } from '../dialects/native/schemas.ts';

// One line of an import, read from whatever shape it came in: the canonical writable fields,
// checked by the very schema POST /v1/customers checks its body with, and what identifies the
// record and its parent.

export interface ImportRow {
  /** The writable fields; parent_id when the parent is named by its id. */
  input: CustomerInput;
  /** Identity the record keeps when it is created (Roster id, Dintero uuid, Spirii number), when the line gives one. */
  id?: string;
  uuid?: string;
  number?: number;
  createdAt?: string;
  /** The record's parent, when the line names one by its number (Spirii's owner). */
  parentNumber?: number;
}

/** A line that cannot be imported: its reason is reported with its line number. */
export class LineError extends Error {}

type Validate = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string; params?: Record<string, unknown> }[] | null };

/** A body validator exactly as the API compiles it (JSON taken as typed, the same formats). */
export function bodyValidator(schema: TSchema): (data: unknown) => void {
  const validate = (buildValidator({}) as unknown as (r: unknown) => Validate)({ schema, method: 'POST', url: '/import', httpPart: 'body' });
  return (data) => {
    if (validate(data)) return;
    const e = validate.errors![0];
    const field = (e.instancePath.slice(1).replace(/\//g, '.') || (e.params?.additionalProperty as string | undefined)) ?? 'record';
    throw new LineError(`${field}: ${e.message ?? 'is not valid'}`);
  };
}

export const checkCustomerInput = bodyValidator(CustomerCreate);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KSUID = KSUID_PATTERN;

/** Checks the identity a line gives its record. */
export function identity(raw: { id?: unknown; uuid?: unknown; number?: unknown; created_at?: unknown }): Pick<ImportRow, 'id' | 'uuid' | 'number' | 'createdAt'> {
  const out: Pick<ImportRow, 'id' | 'uuid' | 'number' | 'createdAt'> = {};
  if (raw.id !== undefined && raw.id !== null) {
    if (typeof raw.id !== 'string' || !KSUID.test(raw.id)) throw new LineError('id: must be a Roster id (27 letters and digits)');
    out.id = raw.id;
  }
  if (raw.uuid !== undefined && raw.uuid !== null) {
    if (typeof raw.uuid !== 'string' || !UUID.test(raw.uuid)) throw new LineError('uuid: must be a UUID');
    out.uuid = raw.uuid.toLowerCase();
  }
  if (raw.number !== undefined && raw.number !== null) {
    if (typeof raw.number !== 'number' || !Number.isSafeInteger(raw.number) || raw.number < 1) throw new LineError('number: must be a positive integer');
    out.number = raw.number;
  }
  if (raw.created_at !== undefined && raw.created_at !== null) {
    const t = typeof raw.created_at === 'string' ? Date.parse(raw.created_at) : typeof raw.created_at === 'number' ? raw.created_at : NaN;
    if (!Number.isFinite(t) || t < Date.UTC(1, 0, 1) || t > Date.UTC(9999, 11, 31)) throw new LineError('created_at: must be a date-time');
    out.createdAt = new Date(t).toISOString();
  }
  return out;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
