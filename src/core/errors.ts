// One catalog of coded errors. Dialects render these in their own shapes; the code is stable.

export const ERROR_CATALOG = {
  invalid_request: { status: 400, title: 'Invalid request' },
  invalid_cursor: { status: 400, title: 'Invalid cursor' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  /** The request line names a path longer than any route takes (over 4,096 characters). */
  uri_too_long: { status: 414, title: 'URI too long' },
  /** The body is over the size limit (1 MiB). */
  payload_too_large: { status: 413, title: 'Payload too large' },
  /** The body is not JSON (Content-Type application/json). */
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  /** The request line and headers together are over 16 KiB. */
  header_fields_too_large: { status: 431, title: 'Request header fields too large' },
  /** The request's headers did not arrive within the server's headers timeout (60 s). */
  request_timeout: { status: 408, title: 'Request timeout' },
  conflict: { status: 409, title: 'Conflict' },
  idempotency_mismatch: { status: 422, title: 'Idempotency key reused with a different request' },
  invalid_operation: { status: 400, title: 'Operation not allowed' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  /** The database cannot be reached just now: a retry after `Retry-After` seconds may succeed. */
  unavailable: { status: 503, title: 'Service unavailable' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export interface FieldError {
  field: string;
  message: string;
  code?: string;
}

export class RosterError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields: FieldError[];
  constructor(code: ErrorCode, message: string, fields: FieldError[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RosterError';
    this.code = code;
    this.status = ERROR_CATALOG[code].status;
    this.fields = fields;
  }
}

export const invalid = (field: string, message: string) => new RosterError('invalid_request', `${field}: ${message}`, [{ field, message }]);
export const notFound = (what: string) => new RosterError('not_found', `${what} not found`);
