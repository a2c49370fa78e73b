import { checkCustomerInput, bodyValidator, identity, isObject, LineError, type ImportRow } from '../../import/import-row.ts';
import { RosterError } from '../../core/errors.ts';
import { createInput } from './customer-input.ts';
import { CustomerCreate } from './schemas.ts';

// A Dintero customer (what GET /dintero/v1/accounts/{aid}/customers/users returns) as an import
// line: checked by the schema Dintero's create checks its body with (which admits the read-only
// fields a GET returns), turned into a canonical write by the same code, its id kept as the
// record's uuid. A record is matched by its customer_id.

const checkDintero = bodyValidator(CustomerCreate);

export function dinteroRecord(raw: unknown): ImportRow {
  if (!isObject(raw)) throw new LineError('a line must be a JSON object');
  if (raw.deleted_at) throw new LineError('deleted_at: a deleted record is not imported');
  checkDintero(raw);
  let input: ReturnType<typeof createInput>;
  try {
    input = createInput(raw as never);
  } catch (e) {
    throw new LineError(e instanceof RosterError ? e.message : String(e));
  }
  checkCustomerInput(input);
  return { input, ...identity({ uuid: raw.id, created_at: raw.created_at }) };
}
