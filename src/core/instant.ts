// Instants as the API takes them and as SQL receives them. JavaScript dates reach years that
// PostgreSQL's ISO input does not read (year 0, years past 9999 written "+010000-…") and cannot
// represent a leap second, so inputs are held to RFC 3339 within years 1–9999, and a bound that
// an adjustment (end of day, next millisecond) pushes past that range is clamped to its edge.

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|([+-])(\d{2}):(\d{2}))$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const MIN_YEAR = 1;
export const MAX_YEAR = 9999;

const daysIn = (y: number, m: number) => [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];

/** A UTC instant from its parts, any year (Date.UTC reads years 0–99 as 1900–1999). */
export function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): Date {
  const at = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999.
  at.setUTCFullYear(y, mo - 1, d);
  at.setUTCHours(h, mi, s, ms);
  return at;
}

const inRange = (d: Date) => !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= MIN_YEAR && d.getUTCFullYear() <= MAX_YEAR;

/** A calendar date YYYY-MM-DD in years 1–9999, as midnight UTC; undefined when invalid. */
export function parseDate(raw: string): Date | undefined {
  const m = DATE.exec(raw);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < MIN_YEAR || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return undefined;
  return utc(y, mo, d);
}

/**
 * An RFC 3339 date-time (offset required, seconds 00–59) whose instant falls in years 1–9999
 * UTC, to the millisecond; undefined when invalid.
 */
export function parseInstant(raw: string): Date | undefined {
  const m = RFC3339.exec(raw);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  if (!parseDate(raw.slice(0, 10)) || h > 23 || mi > 59 || s > 59) return undefined;
  let offset = 0;
  if (m[9]) {
    const [oh, om] = [Number(m[10]), Number(m[11])];
    if (oh > 23 || om > 59) return undefined;
    offset = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Number(((m[7] ?? '') + '000').slice(0, 3));
  const at = new Date(utc(y, mo, d, h, mi, s, ms).getTime() - offset * 60_000);
  return inRange(at) ? at : undefined;
}

const LAST = '9999-12-31T23:59:59.999Z';
const FIRST = '0001-01-01T00:00:00.000Z';

/**
 * An instant as SQL text, ISO 8601 clamped to years 1–9999. Not `infinity`: the driver turns
 * a timestamp parameter into a JavaScript Date first. Clamping loses nothing, as every bound
 * this is used for compares times the server assigned (created_at, updated_at).
 */
export function sqlInstant(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new RangeError('invalid date');
  if (d.getUTCFullYear() > MAX_YEAR) return LAST;
  if (d.getUTCFullYear() < MIN_YEAR) return FIRST;
  return d.toISOString();
}
