import type { CustomerInput } from '../../core/model.ts';
import { checkCustomerInput, identity, isObject, LineError, type ImportRow } from '../../import/import-row.ts';

// A native record (what GET /v1/customers returns) as an import line: its writable fields are
// checked as POST /v1/customers checks them; its id, uuid, number and created_at are kept for
// a record it creates; what Roster derives (kyc_status, the hierarchy's names, timestamps of
// the write) is derived again.

const DERIVED = [
  'display_name',
  'kyc_status',
  'application_status',
  'ancestors',
  'operator_id',
  'parent_name',
  'parent_number',
  'operator_name',
  'operator_number',
  'updated_at',
  'deleted_at',
  'created_by',
  'deleted_by',
];

export function nativeRecord(raw: unknown): ImportRow {
  if (!isObject(raw)) throw new LineError('a line must be a JSON object');
  if (raw.deleted_at) throw new LineError('deleted_at: a deleted record is not imported');
  const { id, uuid, number, created_at, ...rest } = raw;
  for (const k of DERIVED) delete rest[k];
  checkCustomerInput(rest);
  return { input: rest as CustomerInput, ...identity({ id, uuid, number, created_at }) };
}
