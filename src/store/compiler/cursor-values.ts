import { parseDate } from '../../core/instant.ts';
import { textFault } from '../../core/text.ts';
import type { SqlType } from './resource-def.ts';

// A cursor comes back from the client, so its sort values are input like any other: each must
// be a value of its sort key's type before it is bound into the page's statement, or a forged
// cursor (`["garbage"]` for a timestamp) would be a database error instead of invalid_cursor.

/** Timestamps as Postgres writes them into JSON: ISO 8601 with a numeric offset (or Z). */
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Longer than any stored sort value (names are at most 512 characters). */
const MAX_TEXT = 2048;

export function fitsSortType(type: SqlType, v: unknown): boolean {
  switch (type) {
    case 'text':
      return typeof v === 'string' && v.length <= MAX_TEXT && textFault(v) === undefined;
    case 'bigint':
      return (typeof v === 'number' && Number.isSafeInteger(v)) || (typeof v === 'string' && /^-?\d{1,18}$/.test(v));
    case 'boolean':
      return typeof v === 'boolean';
    case 'uuid':
      return typeof v === 'string' && UUID.test(v);
    case 'timestamptz': {
      const m = typeof v === 'string' ? TIMESTAMP.exec(v) : null;
      return !!m && parseDate(m[1]) !== undefined && Number(m[2]) <= 23 && Number(m[3]) <= 59 && Number(m[4]) <= 59;
    }
  }
}
