import { RosterError } from '../../core/errors.ts';
import { MAX_YEAR, MIN_YEAR, utc } from '../../core/instant.ts';

// Reading raw query and body values with errors that name the parameter. Empty values count
// as absent, as Spirii's model binding treats them.

export type RawQuery = Record<string, string | string[] | undefined>;

export const bad = (param: string, message: string, code = 'invalid_parameter') => new RosterError('invalid_request', `${param}: ${message}`, [{ field: param, message, code }]);

/** One value; a scalar parameter given twice is an error rather than a silent pick. */
export function single(q: RawQuery, name: string): string | undefined {
  const v = q[name];
  if (Array.isArray(v)) {
    const given = v.filter((x) => x !== '');
    if (given.length > 1) throw bad(name, 'must be given at most once');
    return given[0];
  }
  return v === '' ? undefined : v;
}

/** An array parameter: `name=a&name=b`, `name[]=a&name[]=b` and `name=a,b` are all accepted. */
export function many(q: RawQuery, name: string): string[] | undefined {
  const raw = [q[name], q[`${name}[]`]].flatMap((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
  const values = raw
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return values.length === 0 ? undefined : values;
}

const MAX_ID = 2 ** 53 - 1;

/** A customer id: Spirii's ids are positive integers. */
export function customerId(param: string, raw: string): number {
  if (!/^\d{1,16}$/.test(raw.trim())) throw bad(param, `"${raw}" is not an integer customer id`);
  const n = Number(raw.trim());
  if (n < 1 || n > MAX_ID) throw bad(param, `"${raw}" is not a valid customer id`);
  return n;
}

export function integer(param: string, raw: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(raw.trim())) throw bad(param, `"${raw}" is not an integer`);
  const n = Number(raw.trim());
  if (n < min || n > max) throw bad(param, `must be between ${min} and ${max}`);
  return n;
}

export interface ParsedTime {
  /** The instant given, or the start of the day (UTC) for a date alone. */
  at: Date;
  /** A date with no time: the whole UTC day is meant. */
  dayOnly: boolean;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2})?$/;

/** ISO 8601 date or date-time; a date-time without an offset is read as UTC. */
export function isoTime(param: string, raw: string): ParsedTime {
  const fail = () => bad(param, `"${raw}" is not an ISO 8601 date-time, e.g. 2024-05-01T12:00:00Z`);
  const d = DATE.exec(raw);
  const m = d ?? DATE_TIME.exec(raw);
  if (!m) throw fail();
  const [year, month, day, hour = '0', minute = '0', second = '0'] = m.slice(1, 7).map((x) => x ?? undefined) as string[];
  const y = Number(year),
    mo = Number(month),
    da = Number(day),
    h = Number(hour),
    mi = Number(minute),
    s = Number(second);
  const probe = utc(y, mo, da);
  if (y < MIN_YEAR || y > MAX_YEAR || probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== da || h > 23 || mi > 59 || s > 59) throw fail();
  if (d) return { at: probe, dayOnly: true };
  const ms = Number(((m[7] ?? '') + '000').slice(0, 3));
  let offsetMin = 0;
  const tz = m[8];
  if (tz && tz.toUpperCase() !== 'Z') {
    const sign = tz[0] === '-' ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2)),
      om = Number(digits.slice(2));
    if (oh > 23 || om > 59) throw fail();
    offsetMin = sign * (oh * 60 + om);
  }
  const at = new Date(utc(y, mo, da, h, mi, s, ms).getTime() - offsetMin * 60_000);
  if (at.getUTCFullYear() < MIN_YEAR || at.getUTCFullYear() > MAX_YEAR) throw fail();
  return { at, dayOnly: false };
}

export const nextDay = (d: Date) => new Date(d.getTime() + 86_400_000);
