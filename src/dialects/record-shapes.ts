import type { Customer } from '../core/model.ts';
import { renderCustomer as dakota } from './dakota/render.ts';
import { renderCustomer as dintero } from './dintero/render.ts';
import { toPartnerUser } from './investifi/render.ts';
import { renderCustomer as spirii } from './spirii/render.ts';
import { nativeRecord } from './native/import-record.ts';
import { dakotaRecord } from './dakota/import-record.ts';
import { spiriiRecord } from './spirii/import-record.ts';
import { dinteroRecord } from './dintero/import-record.ts';
import { investifiRecord } from './investifi/import-record.ts';
import type { ImportRow } from '../import/import-row.ts';

// The record shapes a customer can be exported in and imported from: Roster's own, or the one a
// vendor's list/get returns, rendered by that dialect's own renderer. CSV files carry the same
// fields as columns, nested values as JSON text.

export const RECORD_SHAPES = ['native', 'dakota', 'spirii', 'dintero', 'investifi'] as const;
export type RecordShape = (typeof RECORD_SHAPES)[number];

/** How a CSV cell reads back: text as is, json parsed, number and boolean converted; empty is absent. */
export type CellKind = 'text' | 'json' | 'number' | 'boolean';

const text = (names: string) => names.split(' ').map((n) => [n, 'text'] as [string, CellKind]);
const json = (names: string) => names.split(' ').map((n) => [n, 'json'] as [string, CellKind]);

/** Each shape's CSV columns, in order, with how each reads back. */
export const CSV_COLUMNS: Record<RecordShape, [string, CellKind][]> = {
  native: [
    ...text('id'),
    ['number', 'number'],
    ...text('uuid external_id type name display_name first_name last_name email phone_number country gender date_of_birth'),
    ...json('addresses company'),
    ...text('status'),
    ...json('metadata attributes marketing_consent enrolled_by term'),
    ...text('favorite_store'),
    ...json('contact_for'),
    ...text('kyb_status kyc_status'),
    ...json('kyc_links provider_statuses application'),
    ...text('application_status parent_id'),
    ...json('ancestors'),
    ...text('operator_id parent_name'),
    ['parent_number', 'number'],
    ...text('operator_name'),
    ['operator_number', 'number'],
    ['is_sub_client', 'boolean'],
    ...json('extensions product_accounts tags'),
    ...text('created_at updated_at deleted_at created_by deleted_by'),
  ],
  dakota: [
    ...text('id name email customer_type kyb_status kyc_status'),
    ...json('kyb_links provider_statuses'),
    ...text('application_id application_status decision application_url'),
    ['created_at', 'number'],
    ['updated_at', 'number'],
    ['deleted_at', 'number'],
    ...text('sub_client_id sub_client_name'),
    ['is_sub_client', 'boolean'],
  ],
  spirii: [
    ['id', 'number'],
    ...text('name externalId type country'),
    ...json('contactDetails billingDetails cpo owner locations payoutInformation financialSetup billingSettings'),
    ...text('createdAt updatedAt'),
  ],
  dintero: [
    ...text('type customer_id'),
    ...json('metadata'),
    ...text('id created_at created_by updated_at first_name last_name email phone_number'),
    ...json('attributes'),
    ...text('status favorite_store'),
    ...json('enrolled_by marketing_consent addresses term company'),
    ...text('gender date_of_birth'),
    ...json('contact_for'),
    ...text('deleted_at deleted_by'),
  ],
  investifi: [...json('accounts'), ...text('total_current_market_value user_account_id')],
};

/** A customer in a shape, as that surface's own GET returns it. */
export function renderAs(shape: RecordShape, c: Customer): Record<string, unknown> {
  switch (shape) {
    case 'native':
      return c as unknown as Record<string, unknown>;
    case 'dakota':
      return dakota(c);
    case 'spirii':
      return spirii(c);
    case 'dintero':
      return dintero(c);
    case 'investifi':
      return toPartnerUser(c) as unknown as Record<string, unknown>;
  }
}

/** A record's cells in a shape's column order. */
export function csvCells(shape: RecordShape, record: Record<string, unknown>): (string | null)[] {
  return CSV_COLUMNS[shape].map(([name, kind]) => {
    const v = record[name];
    if (v === null || v === undefined) return null;
    return kind === 'json' ? JSON.stringify(v) : String(v);
  });
}

/** A CSV row read back into a record of the shape: empty cells are left out. */
export function fromCsvCells(shape: RecordShape, row: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, kind] of CSV_COLUMNS[shape]) {
    const raw = row[name];
    if (raw === undefined || raw === '') continue;
    if (kind === 'json') {
      try {
        out[name] = JSON.parse(raw);
      } catch {
        throw new Error(`${name}: not valid JSON`);
      }
    } else if (kind === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new Error(`${name}: not a number`);
      out[name] = n;
    } else if (kind === 'boolean') {
      if (raw !== 'true' && raw !== 'false') throw new Error(`${name}: must be true or false`);
      out[name] = raw === 'true';
    } else out[name] = raw;
  }
  return out;
}

/** Each shape's reader of one import line (src/import/), the inverse of renderAs. */
export const RECORD_READERS: Record<RecordShape, (raw: unknown) => ImportRow> = {
  native: nativeRecord,
  dakota: dakotaRecord,
  spirii: spiriiRecord,
  dintero: dinteroRecord,
  investifi: investifiRecord,
};

/** Where a line's record and its parent are, read without checking the rest (an import's first pass). */
export interface RecordKeys {
  id?: string;
  number?: number;
  /** The parent as `id:<id>` or `n:<number>`. */
  parent?: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined);
const obj = (v: unknown) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});

/** Each shape's keys, as its reader (RECORD_READERS) reads them; shapes without a hierarchy have none. */
export const RECORD_KEYS: Record<RecordShape, (raw: unknown) => RecordKeys> = {
  native: (raw) => ({ id: str(obj(raw).id), number: num(obj(raw).number), parent: str(obj(raw).parent_id) && `id:${obj(raw).parent_id}` }),
  dakota: (raw) => ({ id: str(obj(raw).id), parent: str(obj(raw).sub_client_id) && `id:${obj(raw).sub_client_id}` }),
  spirii: (raw) => ({ number: num(obj(raw).id), parent: num(obj(obj(raw).owner).id) ? `n:${obj(obj(raw).owner).id}` : undefined }),
  dintero: () => ({}),
  investifi: () => ({}),
};
