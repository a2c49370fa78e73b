import type { Customer, CustomerInput, CustomerType } from '../../core/model.ts';
import { invalid, RosterError } from '../../core/errors.ts';
import { uuid } from '../../core/ids.ts';
import { DETAILS, dinteroType, FROM_DINTERO } from './render.ts';
import type { CustomerCreate, CustomerUpdate, DinteroType } from './schemas.ts';

// Dintero request bodies as canonical writes. The canonical `name` is derived: the company's
// bussiness_name for companies, else first and last name, so other dialects show a name too.

/** Metadata keys set to null are removed (the documented way to unset one key). */
const withoutNulls = (m: Record<string, unknown>) => Object.fromEntries(Object.entries(m).filter(([, v]) => v !== null));

function derivedName(type: DinteroType, first: string | null | undefined, last: string | null | undefined, company: Record<string, unknown> | null | undefined): string | null {
  if (type === 'company' && typeof company?.bussiness_name === 'string') return company.bussiness_name;
  const name = [first, last].filter((s) => typeof s === 'string' && s.trim() !== '').join(' ');
  return name || null;
}

function checkCompany(type: DinteroType, company: unknown, hasName: boolean) {
  if (type === 'company' && !company && !hasName) throw invalid('company', 'is required when type is company');
  if (company && type !== 'company' && type !== 'other') throw invalid('company', 'is only supported for type company or other');
}

/** password and pin need the write:accounts:/auth/users scope, which Roster's clients are never granted. */
export function refuseCredentials(body: { password?: string; pin?: string }) {
  const field = body.password !== undefined ? 'password' : body.pin !== undefined ? 'pin' : undefined;
  if (field) throw new RosterError('forbidden', `Setting ${field} requires the write:accounts:/auth/users scope`);
}

export function createInput(body: CustomerCreate): CustomerInput {
  refuseCredentials(body);
  const type: DinteroType = body.type ?? 'customer';
  checkCompany(type, body.company, false);
  const input: CustomerInput = { type: FROM_DINTERO[type][0], external_id: body.customer_id ?? uuid() };
  for (const k of DETAILS) if (body[k] !== undefined) (input as Record<string, unknown>)[k] = body[k];
  if (body.metadata) input.metadata = withoutNulls(body.metadata);
  input.name = derivedName(type, body.first_name, body.last_name, body.company);
  return input;
}

/** A partial update against the current record: only the fields present change. */
export function updateInput(body: CustomerUpdate, current: Customer): CustomerInput {
  refuseCredentials(body);
  if (body.customer_id !== undefined && body.customer_id !== (current.external_id ?? current.id)) {
    throw invalid('customer_id', 'cannot be changed here; use POST /users/{customer_id}/change_customer_id');
  }
  const currentType = dinteroType(current.type);
  const type: DinteroType = body.type ?? currentType;
  const patch: CustomerInput = {};
  // A canonical operator is shown as company; writing `company` back must not demote it.
  if (type !== currentType) patch.type = FROM_DINTERO[type][0] as CustomerType;
  for (const k of DETAILS) if (body[k] !== undefined) (patch as Record<string, unknown>)[k] = body[k];
  if (body.metadata !== undefined) patch.metadata = body.metadata === null ? {} : withoutNulls({ ...current.metadata, ...body.metadata });
  const company = body.company !== undefined ? body.company : current.company;
  checkCompany(type, body.company, current.name !== null);
  if (body.first_name !== undefined || body.last_name !== undefined || body.company !== undefined || patch.type !== undefined) {
    const name = derivedName(type, body.first_name !== undefined ? body.first_name : current.first_name, body.last_name !== undefined ? body.last_name : current.last_name, company);
    // A company renamed nowhere keeps the name it had.
    patch.name = name ?? (type === 'company' ? current.name : null);
  }
  return patch;
}
