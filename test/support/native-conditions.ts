import type { StoredCustomer } from './records.ts';
import type { User } from '../../src/core/model.ts';
import { cLower } from './order.ts';

// The native operators evaluated in memory over records read from the tables, and random
// conditions and groups written both ways the API takes them (bracket parameters and group
// text), each with the predicate it means. Two-valued, as documented: a test of a field with no
// value is false, so neq, nin and not keep such records.

export type Rec = StoredCustomer | User;
export type Pred = (r: Rec) => boolean;
type Value = string | number | boolean | null;

/** The value of a native filter field on a record. */
export function fieldOf(r: Rec, field: string): Value {
  if (field === 'application_status') return (r as StoredCustomer).application?.status ?? null;
  const v = (r as unknown as Record<string, unknown>)[field];
  return v === undefined ? null : (v as Value);
}

const TIMES = new Set(['created_at', 'updated_at', 'deleted_at']);

/** One field compared with one query value, as the store compares them. */
function compare(field: string, stored: Value, raw: string): number {
  if (typeof stored === 'number') return stored - Number(raw);
  if (typeof stored === 'boolean') return stored === (raw === 'true') ? 0 : 1;
  if (TIMES.has(field)) return Date.parse(stored as string) - Date.parse(raw);
  const [a, b] = field === 'email' ? [String(stored).toLowerCase(), raw.toLowerCase()] : field === 'uuid' ? [String(stored), raw.toLowerCase()] : [String(stored), raw];
  return a === b ? 0 : a < b ? -1 : 1;
}

/** A JSON value matched by a query value: the string, or the number or boolean it spells. */
export function jsonMatches(v: unknown, raw: string): boolean {
  if (typeof v === 'string') return v === raw;
  if (typeof v === 'number') return /^-?(0|[1-9]\d*)(\.\d+)?$/.test(raw) && Number(raw) === v;
  if (typeof v === 'boolean') return raw === String(v);
  return false;
}

/** The predicate of one condition: field (or metadata/attributes key), operator, values. */
export function conditionPred(field: string, op: string, values: string[], key?: string): Pred {
  if (key !== undefined) {
    const val = (r: Rec) => ((r as StoredCustomer)[field as 'metadata'] as Record<string, unknown>)[key];
    const eq = (r: Rec) => values.some((v) => jsonMatches(val(r), v));
    if (op === 'eq' || op === 'in') return eq;
    if (op === 'neq' || op === 'nin') return (r) => !eq(r);
    if (op === 'null') return (r) => (val(r) === undefined || val(r) === null) === (values[0] === 'true');
    throw new Error(`no JSON operator ${op}`);
  }
  const has = (r: Rec) => fieldOf(r, field) !== null;
  const cmp = (r: Rec, v: string) => compare(field, fieldOf(r, field), v);
  switch (op) {
    case 'eq':
    case 'in':
      return (r) => has(r) && values.some((v) => cmp(r, v) === 0);
    case 'neq':
    case 'nin':
      return (r) => !(has(r) && values.some((v) => cmp(r, v) === 0));
    case 'gt':
      return (r) => has(r) && cmp(r, values[0]) > 0;
    case 'gte':
      return (r) => has(r) && cmp(r, values[0]) >= 0;
    case 'lt':
      return (r) => has(r) && cmp(r, values[0]) < 0;
    case 'lte':
      return (r) => has(r) && cmp(r, values[0]) <= 0;
    case 'prefix':
      return (r) => {
        const v = fieldOf(r, field);
        if (v === null) return false;
        return field === 'email' ? String(v).toLowerCase().startsWith(values[0].toLowerCase()) : String(v).startsWith(values[0]);
      };
    case 'contains':
      return (r) => has(r) && cLower(String(fieldOf(r, field))).includes(cLower(values[0]));
    case 'null':
      return (r) => !has(r) === (values[0] === 'true');
  }
  throw new Error(`no operator ${op}`);
}

/** A condition as a group term: values quoted now and then, and always when they must be. */
export function termText(field: string, op: string, values: string[], rnd: () => number, key?: string): string {
  const q = (v: string) => (/[,)"\\(]/.test(v) || v === '' || rnd() < 0.3 ? `"${v.replace(/[\\"]/g, '\\$&')}"` : v);
  const target = key === undefined ? field : `${field}[${key}]`;
  const value = op === 'in' || op === 'nin' ? `(${values.map(q).join(',')})` : q(values[0]);
  return `${target}.${op}.${value}`;
}

export interface FieldSpec {
  field: string;
  ops: string[];
  /** A value to test with, drawn from the records (or not found in them). */
  draw: (rnd: () => number, all: Rec[]) => string;
}

export interface Generated {
  params: [string, string][];
  pred: Pred;
  text: string;
}

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

/** A value of the field from a random record, or a prefix or a piece of one for `prefix` and `contains`. */
function valueFor(spec: FieldSpec, op: string, rnd: () => number, all: Rec[]): string {
  const v = spec.draw(rnd, all);
  if (op === 'contains') {
    const from = Math.floor(rnd() * Math.max(1, v.length - 2));
    return v.slice(from, from + 2 + Math.floor(rnd() * 3));
  }
  return op === 'prefix' ? v.slice(0, 1 + Math.floor(rnd() * 4)) : v;
}

/** A random condition over the fields, as a bracket parameter and as a group term. */
export function randomCondition(specs: FieldSpec[], rnd: () => number, all: Rec[]) {
  const spec = pick(rnd, specs);
  const op = pick(rnd, spec.ops);
  const [field, key] = spec.field.includes('[') ? [spec.field.slice(0, spec.field.indexOf('[')), spec.field.slice(spec.field.indexOf('[') + 1, -1)] : [spec.field, undefined];
  const values =
    op === 'null'
      ? [rnd() < 0.5 ? 'true' : 'false']
      : op === 'in' || op === 'nin'
        ? [...new Set(Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => valueFor(spec, op, rnd, all)))]
        : [valueFor(spec, op, rnd, all)];
  return {
    param: [`${spec.field}[${op}]`, values.join(',')] as [string, string],
    /** Bracket in-lists are split at commas, so a value holding one goes in a group only. */
    bracketable: !values.some((v) => v.includes(',') || v.trim() !== v || v === ''),
    term: (r: () => number) => termText(field, op, values, r, key),
    pred: conditionPred(field, op, values, key),
  };
}

/** A random group term (condition, not, and/or of a few), with its predicate. */
export function randomTerm(specs: FieldSpec[], rnd: () => number, all: Rec[], depth = 0): { text: string; pred: Pred } {
  const roll = rnd();
  if (depth < 2 && roll < 0.2) {
    const inner = randomTerm(specs, rnd, all, depth + 1);
    return { text: `not.${inner.text}`, pred: (r) => !inner.pred(r) };
  }
  if (depth < 2 && roll < 0.4) {
    const join = rnd() < 0.5 ? 'and' : 'or';
    const terms = Array.from({ length: 2 + Math.floor(rnd() * 2) }, () => randomTerm(specs, rnd, all, depth + 1));
    return { text: `${join}(${terms.map((t) => t.text).join(',')})`, pred: join === 'and' ? (r) => terms.every((t) => t.pred(r)) : (r) => terms.some((t) => t.pred(r)) };
  }
  const c = randomCondition(specs, rnd, all);
  return { text: c.term(rnd), pred: c.pred };
}

/** A random query: up to three bracket conditions and now and then a top-level group. */
export function randomQuery(specs: FieldSpec[], rnd: () => number, all: Rec[]): Generated {
  const params: [string, string][] = [];
  const preds: Pred[] = [];
  for (let i = Math.floor(rnd() * 3); i > 0; i--) {
    const c = randomCondition(specs, rnd, all);
    if (!c.bracketable || params.some(([k]) => k === c.param[0])) continue;
    params.push(c.param);
    preds.push(c.pred);
  }
  if (params.length === 0 || rnd() < 0.6) {
    const name = pick(rnd, ['or', 'and', 'not.or', 'not.and']);
    const terms = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => randomTerm(specs, rnd, all));
    params.push([name, `(${terms.map((t) => t.text).join(',')})`]);
    const any = (r: Rec) => terms.some((t) => t.pred(r));
    const every = (r: Rec) => terms.every((t) => t.pred(r));
    preds.push({ or: any, and: every, 'not.or': (r: Rec) => !any(r), 'not.and': (r: Rec) => !every(r) }[name]!);
  }
  return { params, pred: (r) => preds.every((p) => p(r)), text: new URLSearchParams(params).toString() };
}
