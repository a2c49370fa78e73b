import { RosterError } from '../core/errors.ts';

// Database errors that mean the request's own values were unacceptable. The API edges reject
// such values first with a precise message; this is the backstop behind them, so a value that
// slips past a schema is still a 400 and never a 500. Decided on SQLSTATE and constraint names,
// never on message text, and the database's message (which quotes the value) is not passed on.

/** The length checks of migration 120, by constraint name: the field each one bounds. */
const CHECKED_FIELDS: Record<string, string> = {
  customers_external_id_length: 'external_id',
  customers_name_length: 'name',
  customers_first_name_length: 'first_name',
  customers_last_name_length: 'last_name',
  customers_email_length: 'email',
  customers_phone_number_length: 'phone_number',
  customers_country_length: 'country',
  customers_gender_length: 'gender',
  customers_status_length: 'status',
  customers_favorite_store_length: 'favorite_store',
  users_first_name_length: 'first_name',
  users_last_name_length: 'last_name',
  users_email_length: 'email',
  customer_tokens_type_length: 'type',
  customer_tokens_value_length: 'value',
  customer_tokens_token_id_length: 'token_id',
  tags_tag_length: 'tag',
  product_accounts_product_length: 'product',
  product_accounts_kyc_status_length: 'kyc_status',
  idempotency_records_key_length: 'idempotency-key',
};

/** SQLSTATEs of values the database cannot take, with what to tell the client. */
const VALUE_FAULTS: Record<string, string> = {
  '22P05': 'contains a character the database cannot store (e.g. a NUL byte)',
  '22021': 'is not valid UTF-8',
  '22007': 'is not a valid date or time',
  '22008': 'is a date or time out of range',
  '22003': 'is a number out of range',
  '22P02': 'is not valid for its type',
  '22001': 'is too long',
  '22023': 'is not a valid value',
  '2201W': 'is not a valid limit',
  '2201X': 'is not a valid offset',
  '22025': 'has an invalid escape',
  '2200H': 'is out of range',
  '54000': 'is too large to index; shorten it',
};

const codeOf = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

const constraintOf = (e: unknown): string => {
  const err = e as { constraint_name?: string; constraint?: string };
  return err.constraint_name ?? err.constraint ?? '';
};

/** The RosterError a database error means when the request's values caused it, else undefined. */
export function clientFault(e: unknown): RosterError | undefined {
  const code = codeOf(e);
  if (!code) return undefined;
  // Repositories turn the unique and foreign keys they expect into precise errors; these are
  // for any that one did not expect.
  if (code === '23505') return new RosterError('conflict', 'A record with this value already exists', [], { cause: e });
  if (code === '23503') return new RosterError('invalid_request', 'A referenced record does not exist', [], { cause: e });
  if (code === '23514') {
    const field = CHECKED_FIELDS[constraintOf(e)];
    if (!field) return new RosterError('invalid_request', 'A value is outside the limits the store accepts', [], { cause: e });
    return new RosterError('invalid_request', `${field}: is longer than the documented maximum`, [{ field, message: 'is longer than the documented maximum', code: 'max_length' }], { cause: e });
  }
  const message = VALUE_FAULTS[code];
  if (!message) return undefined;
  return new RosterError('invalid_request', `A request value ${message}`, [{ field: 'request', message, code: 'invalid_value' }], { cause: e });
}
