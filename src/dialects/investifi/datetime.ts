// Query-string datetimes parsed the way the vendor's server (FastAPI on pydantic v2, whose parser
// is speedate) parses them, so the same inputs are accepted and the same messages come back:
// RFC 3339 datetimes (separator T, t, space or _; Z or ±HH:MM / ±HHMM; naive means UTC), unix
// timestamps in seconds or, above 2e10, milliseconds, and bare dates (midnight UTC). On failure
// pydantic reports the error of its last attempt, parsing the input as a date. A parsed value is
// an ISO instant in UTC.

import { sqlInstant } from '../../core/instant.ts';

export type ParsedDatetime = { ok: true; value: string } | { ok: false; error: string };

const MS_WATERSHED = 20_000_000_000;
const YEAR_1 = new Date('0001-01-01T00:00:00Z').getTime();

const DATE_ERRORS = {
  tooShort: 'input is too short',
  extra: 'unexpected extra characters at the end of the input',
  year: 'invalid character in year',
  sep: 'invalid date separator, expected `-`',
  month: 'invalid character in month',
  day: 'invalid character in day',
  monthRange: 'month value is outside expected range of 1-12',
  dayRange: 'day value is outside expected range',
  tooSmall: 'dates before 1600 are not supported as unix timestamps',
  tooLarge: 'dates after 9999 are not supported as unix timestamps',
  notExact: 'Timestamp is not an exact date',
} as const;

interface Ymd {
  y: number;
  m: number;
  d: number;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** The first ten characters as YYYY-MM-DD, or the speedate error that rejects them. */
function datePart(s: string): Ymd | string {
  if (s.length < 10) return DATE_ERRORS.tooShort;
  for (let i = 0; i < 4; i++) if (!isDigit(s[i])) return DATE_ERRORS.year;
  if (s[4] !== '-') return DATE_ERRORS.sep;
  if (!isDigit(s[5]) || !isDigit(s[6])) return DATE_ERRORS.month;
  if (s[7] !== '-') return DATE_ERRORS.sep;
  if (!isDigit(s[8]) || !isDigit(s[9])) return DATE_ERRORS.day;
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  if (m < 1 || m > 12) return DATE_ERRORS.monthRange;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const max = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  if (d < 1 || d > max) return DATE_ERRORS.dayRange;
  return { y, m, d };
}

/**
 * The bound as a UTC instant with millisecond precision, the precision Roster stores. A
 * sub-millisecond remainder rounds up, which keeps both `>= t` and `< t` exact on millisecond
 * data; anything before year 1 (which Postgres cannot read) is before every record anyway.
 */
function instant(epochMs: number, subMs: boolean): string {
  const ms = Math.max(epochMs + (subMs ? 1 : 0), YEAR_1);
  // Rounding up 9999-12-31T23:59:59.9999999 passes year 9999: clamped, it is still past every record.
  return sqlInstant(new Date(ms));
}

function epochOf(date: Ymd, hh: number, mi: number, ss: number, ms: number, offsetMinutes: number): number {
  const d = new Date(0);
  d.setUTCFullYear(date.y, date.m - 1, date.d);
  d.setUTCHours(hh, mi, ss, ms);
  return d.getTime() - offsetMinutes * 60_000;
}

const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+\-\u2212])(\d{2}):?(\d{2}))?$/;

function rfc3339(s: string): string | undefined {
  const date = datePart(s);
  if (typeof date === 'string') return undefined;
  if (!['T', 't', ' ', '_'].includes(s[10] ?? '')) return undefined;
  const m = TIME.exec(s.slice(11));
  if (!m) return undefined;
  const [, hh, mi, ss = '00', frac = '', z, sign, tzh, tzm] = m;
  if (Number(hh) > 23 || Number(mi) > 59 || Number(ss) > 59) return undefined;
  let offset = 0;
  if (!z && sign) {
    if (Number(tzm) > 59 || Number(tzh) > 23) return undefined;
    offset = (sign === '+' ? 1 : -1) * (Number(tzh) * 60 + Number(tzm));
  }
  // Beyond microseconds pydantic truncates.
  const micros = frac.slice(0, 6).padEnd(6, '0');
  return instant(epochOf(date, Number(hh), Number(mi), Number(ss), Number(micros.slice(0, 3)), offset), Number(micros.slice(3)) > 0);
}

/** A unix timestamp (seconds, or milliseconds past the watershed) as an ISO instant in UTC. */
function timestamp(s: string): ParsedDatetime | undefined {
  const m = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) return undefined;
  const negative = m[1] === '-';
  const whole = BigInt(m[2]);
  const inMillis = whole > BigInt(MS_WATERSHED);
  // Exact integer microseconds from the digits, never through a float.
  const fracDigits = (m[3] ?? '').slice(0, inMillis ? 3 : 6).padEnd(inMillis ? 3 : 6, '0');
  let micros = whole * (inMillis ? 1000n : 1_000_000n) + BigInt(fracDigits || '0');
  if (negative) micros = -micros;
  const seconds = micros / 1_000_000n - (micros % 1_000_000n < 0n ? 1n : 0n);
  if (seconds < -11_676_096_000n) return { ok: false, error: DATE_ERRORS.tooSmall };
  if (seconds > 253_402_300_799n) return { ok: false, error: DATE_ERRORS.tooLarge };
  const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  return { ok: true, value: instant(Number(ms), micros - ms * 1000n > 0n) };
}

export function parseDatetime(input: string): ParsedDatetime {
  const dt = rfc3339(input);
  if (dt) return { ok: true, value: dt };
  const ts = timestamp(input);
  if (ts) return ts;
  const date = datePart(input);
  if (typeof date === 'string') return { ok: false, error: date };
  if (input.length > 10) return { ok: false, error: DATE_ERRORS.extra };
  return { ok: true, value: instant(epochOf(date, 0, 0, 0, 0, 0), false) };
}
