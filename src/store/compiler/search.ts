import type { Search } from '../../core/list-query.ts';
import { RosterError } from '../../core/errors.ts';
import { fieldIfAny, type ListContext } from './context.ts';
import { SAMPLED, type Lookup, type SearchTuning } from './lookup-ways.ts';

// What a search term matches, and how its candidates are found. A term of three characters or
// more goes through the trigram index (lookup-ways.ts decides how a page of it is read); a
// shorter one through b-tree ranges.

/** Trigrams need three characters; shorter terms are served by b-tree ranges instead. */
const SHORT_TERM = 3;

/** Escapes LIKE wildcards so a search term matches literally. */
export const likeEscape = (term: string) => term.replace(/[\\%_]/g, (m) => '\\' + m);

/** The query's search, unless it searches for nothing. */
const searchOf = (ctx: ListContext): Search | undefined => (ctx.q.search && ctx.q.search.term !== '' ? ctx.q.search : undefined);

export function isShortSearch(ctx: ListContext): boolean {
  const s = searchOf(ctx);
  return !!s && [...s.term].length < SHORT_TERM;
}

/** Whether the query searches for a term the trigram index finds. */
export const isTrigramSearch = (ctx: ListContext): boolean => !!searchOf(ctx) && !isShortSearch(ctx);

/** Rows the trigram sample may expect to hold a term's rarest trigrams for the term to count as rare. */
const RARE = 200;

/**
 * A term of three characters or more: the exact match of a row, and the pattern that finds
 * its candidates through the trigram index (through roster_search_ids, which keeps the index
 * usable under row-level security). The match tests the combined search column, which the
 * candidates were found by, then each field, which keeps the exact semantics.
 */
export function trigramSearch(ctx: ListContext): Lookup | undefined {
  const s = searchOf(ctx);
  if (!s || isShortSearch(ctx)) return undefined;
  const term = s.term.toLowerCase();
  const anywhere = ctx.p.add(`%${likeEscape(term)}%`, 'text');
  const fieldPattern = s.mode === 'prefix' ? ctx.p.add(`${likeEscape(term)}%`, 'text') : anywhere;
  const checks = s.fields.map((name) => {
    const sql = ctx.def.search.fields[name];
    if (!sql) throw new RosterError('invalid_request', `${ctx.q.resource} cannot be searched by ${name}`);
    return `${sql} LIKE ${fieldPattern}`;
  });
  const wide = probePattern(term);
  // The LIKE pattern candidates are looked up by: every match matches it.
  const probe = wide === `%${likeEscape(term)}%` ? anywhere : ctx.p.add(wide, 'text');
  return trigramLookup(ctx, `${ctx.def.search.text} LIKE ${anywhere} AND (${checks.join(' OR ')})`, probe);
}

/**
 * A `contains` test of a field the search column holds (`def.search.covers`), as a lookup
 * through the trigram index: every record whose field holds the value has it in its search
 * text, so the index's candidates for the value include every match, and `match` (the test
 * itself) keeps the exact semantics. Only for a printable ASCII value with a run of three
 * letters or digits: the test folds case in PostgreSQL, the probe is folded here, and the two
 * agree on ASCII alone; a value with no such run has no trigram to look up.
 */
export const substringLookup = (ctx: ListContext, f: { value: string }, match: string): Lookup => trigramLookup(ctx, match, ctx.p.add(probePattern(f.value.toLowerCase()), 'text'));

/** Whether a `contains` test can be read through the trigram index (see `substringLookup`). */
export const hasSubstringLookup = (ctx: ListContext, f: { field: string; value: string }): boolean =>
  (ctx.def.search.covers as readonly string[]).includes(f.field) && /^[\x20-\x7e]*$/.test(f.value) && /[A-Za-z0-9]{3}/.test(f.value);

/** The lookup of rows whose search text matches `probe` (a LIKE pattern, as SQL), tested by `match`. */
function trigramLookup(ctx: ListContext, match: string, probe: string): Lookup {
  const table = ctx.def.table;
  return {
    match,
    sample: (tuning: SearchTuning) => (tuning.sample ? `* FROM roster_search_sample('${table}', ${probe}, ${Math.min(RARE, tuning.cap)})` : `${probe} AS probe, false AS rare, NULL::real AS most`),
    ids: (lim?: number) => `SELECT roster_search_ids('${table}', ${SAMPLED}${lim === undefined ? '' : `, ${lim}`}) AS id`,
    idsAlone: (tuning: SearchTuning) => `SELECT roster_search_ids('${table}', ${tuning.sample ? `roster_search_probe('${table}', ${probe})` : probe})`,
  };
}

/**
 * A one- or two-character term matches the start of the name or the email (and, if it is
 * digits, the customer number exactly): ranges on lower-cased "C"-collated columns, which a
 * b-tree serves and which stay index conditions under row-level security. A substring that
 * short matches most of an account and no index can find it, so it is bounded this way and
 * documented per dialect.
 */
export function shortSearch(ctx: ListContext): string {
  const s = searchOf(ctx);
  if (!s || !isShortSearch(ctx)) return 'TRUE';
  const term = s.term.toLowerCase();
  const arms: string[] = [];
  let lo: string | undefined;
  let hi: string | undefined;
  const number = fieldIfAny(ctx, 'number');
  for (const name of s.fields) {
    const col = ctx.def.search.prefix[name];
    if (col) {
      lo ??= ctx.p.add(term, 'text');
      // Every string that starts with the term sorts below the term followed by the highest
      // code point, in bytewise ("C") order.
      hi ??= ctx.p.add(term + '\u{10FFFF}', 'text');
      arms.push(`(${col} >= ${lo} AND ${col} < ${hi})`);
    } else if (ctx.def.search.casedPrefix?.[name]) {
      const cased = ctx.def.search.casedPrefix[name];
      for (const spelling of caseSpellings(term)) arms.push(`(${cased} >= ${ctx.p.add(spelling, 'text')} AND ${cased} < ${ctx.p.add(spelling + '\u{10FFFF}', 'text')})`);
    } else if (name === 'number' && /^[0-9]+$/.test(term) && number) {
      arms.push(`${number.sql} = ${ctx.p.value(number, Number(term))}`);
    }
  }
  return arms.length ? `(${arms.join(' OR ')})` : 'FALSE';
}

/** Every spelling of a short term in upper and lower case: "ab" → ab, aB, Ab, AB. */
function caseSpellings(term: string): string[] {
  let out = [''];
  for (const ch of term) {
    const forms = [...new Set([ch.toLowerCase(), ch.toUpperCase()])];
    out = out.flatMap((prefix) => forms.map((f) => prefix + f));
  }
  return out;
}

/**
 * The pattern the trigram index is asked with. pg_trgm splits a pattern into words at every
 * character that is not a letter or digit, and pads each word it splits off that way with
 * blanks: "quigley.wyman.370000" asks for word-start and word-end trigrams ("  w", "  3",
 * "an ", "00 ") whose posting lists hold a large share of the table, and the GIN scan decodes
 * them whole. A wildcard splits words without padding, so each such character becomes `_` (any
 * one character): the index is asked only for the trigrams inside the words, every match of
 * the term still matches, and the exact pattern is tested on each candidate. A term with no run
 * of three letters or digits keeps its own pattern, as it would yield no trigram at all.
 */
export function probePattern(term: string): string {
  if (!/[\p{L}\p{N}]{3}/u.test(term)) return `%${likeEscape(term)}%`;
  return `%${[...term].map((ch) => (/[\p{L}\p{N}]/u.test(ch) ? ch : '_')).join('')}%`;
}
