import { conditionPred, type Pred, type Rec } from './native-conditions.ts';
import { cLower } from './order.ts';

// Random queries in the native search language, built from its pieces (terms of every operator,
// quoting, AND/OR/implicit AND, "-", parentheses, a word without a field), each with the
// predicate it means, evaluated in memory the way native-conditions.ts evaluates operators.

export interface SearchSpec {
  /** A field, or metadata[key] / attributes[key]. */
  field: string;
  /** Search-language operators: ":", "~", ">", ">=", "<", "<=", ":null". */
  ops: string[];
  draw: (rnd: () => number) => string;
}

export interface SearchQuery {
  text: string;
  pred: Pred;
}

const BRACKET: Record<string, string> = { ':': 'eq', '~': 'contains', '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte' };
const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

/** A value as the language takes it: quoted when it must be, and now and then when it need not. */
export function valueText(v: string, rnd: () => number): string {
  const must = v === '' || v === 'null' || /[\s()]/.test(v) || /^['"]/.test(v);
  if (!must && rnd() >= 0.3) return v;
  const q = rnd() < 0.5 ? "'" : '"';
  return `${q}${v.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), `\\${q}`)}${q}`;
}

/** A date alone on an instant field is its midnight UTC: now and then write a range that way. */
const asDate = (field: string, v: string, rnd: () => number) => (/_at$/.test(field) && rnd() < 0.3 ? v.slice(0, 10) : v);

function term(specs: SearchSpec[], rnd: () => number): SearchQuery {
  const spec = pick(rnd, specs);
  const op = pick(rnd, spec.ops);
  const bracket = spec.field.indexOf('[');
  const [field, key] = bracket < 0 ? [spec.field, undefined] : [spec.field.slice(0, bracket), spec.field.slice(bracket + 1, -1)];
  const target = key === undefined ? field : `${field}[${rnd() < 0.5 ? `'${key}'` : key}]`;
  if (op === ':null') return { text: `${target}:null`, pred: conditionPred(field, 'null', ['true'], key) };
  const raw = asDate(field, spec.draw(rnd), rnd);
  const value = raw.length === 10 && /_at$/.test(field) ? `${raw}T00:00:00.000Z` : raw;
  return { text: `${target}${op}${valueText(raw, rnd)}`, pred: conditionPred(field, BRACKET[op], [value], key) };
}

function unary(specs: SearchSpec[], rnd: () => number, depth: number): SearchQuery {
  const roll = rnd();
  if (depth < 3 && roll < 0.15) {
    const inner = unary(specs, rnd, depth + 1);
    return { text: `-${inner.text}`, pred: (r) => !inner.pred(r) };
  }
  if (depth < 3 && roll < 0.35) {
    const inner = expr(specs, rnd, depth + 1);
    return { text: `(${inner.text})`, pred: inner.pred };
  }
  return term(specs, rnd);
}

function conjunction(specs: SearchSpec[], rnd: () => number, depth: number): SearchQuery {
  const parts = Array.from({ length: 1 + Math.floor(rnd() * 2.5) }, () => unary(specs, rnd, depth));
  const text = parts.map((p, i) => (i === 0 ? p.text : `${rnd() < 0.5 ? ' AND ' : ' '}${p.text}`)).join('');
  return { text, pred: (r) => parts.every((p) => p.pred(r)) };
}

/** An OR of ANDs of terms, negations and parenthesised groups. */
export function expr(specs: SearchSpec[], rnd: () => number, depth = 0): SearchQuery {
  const parts = Array.from({ length: 1 + Math.floor(rnd() * (depth === 0 ? 2.5 : 2)) }, () => conjunction(specs, rnd, depth));
  return { text: parts.map((p) => p.text).join(' OR '), pred: (r) => parts.some((p) => p.pred(r)) };
}

/** The full-text search of a word without a field: a substring, lower-cased as lower() does, of any searched field. */
export function textPred(word: string, fields: (r: Rec) => (string | null | undefined)[]): Pred {
  const w = cLower(word);
  return (r) => fields(r).some((v) => v !== null && v !== undefined && cLower(v).includes(w));
}

/** A query, now and then with a word without a field in front of it (the search of the whole list). */
export function randomSearch(specs: SearchSpec[], rnd: () => number, words: string[], fields: (r: Rec) => (string | null | undefined)[]): SearchQuery {
  const e = expr(specs, rnd);
  if (words.length === 0 || rnd() >= 0.3) return e;
  const word = pick(rnd, words);
  const t = textPred(word, fields);
  return { text: `${valueText(word, rnd)} (${e.text})`, pred: (r) => t(r) && e.pred(r) };
}
