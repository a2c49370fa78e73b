import type { Anchor, CustomerRef, Filter, Scalar, SortTerm } from '../../core/list-query.ts';
import { fitsSortType } from './cursor-values.ts';
import type { ScopedQuery } from '../../core/scope.ts';
import { RosterError } from '../../core/errors.ts';
import { RESOURCES, type ResourceDef, type SqlType } from './resources.ts';
import { keptCount, type KeptCount } from './kept-count.ts';

/** One parameterized statement, and whether it may be prepared (see `preparable`). */
export interface Statement {
  text: string;
  params: unknown[];
  prepare: boolean;
}

/**
 * The single row a list statement returns: the page as JSON text, plus what pagination needs.
 */
export interface ListRow {
  /** The page's records as JSON text, in the requested order, at most `limit` of them. */
  records: string;
  /** Per record, in the same order: its sort values and its id (for cursors). */
  keys: [(string | number | null)[], string][] | null;
  /** Whether a record exists past the page on the side it was read towards. */
  more: boolean;
  anchor_found: boolean | null;
  has_other_side: boolean | null;
  total: string | number | null;
  /** The account's write version in the statement's snapshot, when a count was asked for. */
  version: string | null;
}

export interface CompileOptions {
  /** Count in this statement; off when a cached count may still be current. */
  count?: boolean;
  /** How a trigram search picks its way (see `adaptive`); tests force each way with these. */
  search?: Partial<SearchTuning>;
}

export interface SearchTuning {
  /** Candidates a list is willing to gather and sort; past this many the term is common. */
  cap: number;
  /** Rows the first, short walk reads per match it needs. */
  short: number;
  /** Rows the longer walk reads per match it needs before it sorts every candidate instead. */
  walk: number;
  /**
   * Whether the trigram sample (migration 090) orders the ways: a term it shows to be rare goes
   * to its candidates before any walk, and a term it shows to be common never gathers them.
   */
  sample: boolean;
}

class Params {
  readonly values: unknown[] = [];
  add(value: unknown, type: SqlType): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
}

const OPS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/** Escapes LIKE wildcards so a search term matches literally. */
export const likeEscape = (term: string) => term.replace(/[\\%_]/g, (m) => '\\' + m);

class ListCompiler {
  private readonly p = new Params();
  private readonly def: ResourceDef;
  private readonly account: string;
  private readonly tuning: SearchTuning;
  private trigram?: TrigramSearch;

  constructor(private readonly q: ScopedQuery, private readonly opts: CompileOptions = {}) {
    this.def = RESOURCES[q.resource];
    this.account = this.p.add(q.accountId, 'text');
    this.tuning = { ...SEARCH_TUNING, ...opts.search };
  }

  compile(): Statement {
    const { q, def } = this;
    const scope = [`c.account_id = ${this.account}`, this.filter(q.filter)].filter((s) => s !== 'TRUE');
    const trigram = this.trigramSearch();
    const where = trigram ? scope : [...scope, this.search()].filter((s) => s !== 'TRUE');
    const base = trigram ? this.candidates(scope, trigram, this.allCandidates('(SELECT probe FROM sample)')) : `FROM ${def.table} c WHERE ${where.join(' AND ')}`;
    const keys = this.sortTerms();
    const page = q.page;
    const ctes: string[] = [];
    let anchorFound = 'NULL::boolean';
    let otherSide = 'NULL::boolean';
    let keysetCond = '';
    let backward = false;
    let skip: string | undefined;
    let values: string[] = [];

    if (page.kind === 'keyset') {
      const anchor = page.after ?? page.before;
      backward = page.before !== undefined && page.after === undefined;
      if (page.after && page.before) throw new RosterError('invalid_request', 'A page cannot start after one record and end before another');
      if (anchor) {
        values = this.anchorValues(anchor, keys);
        if (!('values' in anchor)) {
          const [name, value] = 'number' in anchor ? ['number', anchor.number] : 'uuid' in anchor ? ['uuid', anchor.uuid] : ['id', anchor.id];
          const f = this.field(name);
          ctes.push(`anchor AS (SELECT ${keys.map((k, i) => `${this.sortSql(k)} AS k${i}`).join(', ')} FROM ${def.table} c WHERE c.account_id = ${this.account} AND ${f.sql} = ${this.value(f, value)})`);
          anchorFound = 'EXISTS (SELECT 1 FROM anchor)';
        }
        keysetCond = ' AND ' + this.compare(keys, values, backward ? 'before' : 'after', false);
      }
    } else {
      skip = this.p.add(page.offset, 'bigint');
    }
    const offset = skip ? ` OFFSET ${skip}` : '';

    const order = this.orderBy(keys, backward);
    const sortValues = `json_build_array(${keys.map((k) => this.sortSql(k)).join(', ')})`;
    const limit = page.limit;
    let rows: string;
    if (trigram) {
      if (page.kind === 'keyset' && values.length) {
        // One match on the other side of the anchor, found the way the page's are, read
        // outwards from the anchor: next to a page of a common term, the walk meets one at once.
        const other = ' AND ' + this.compare(keys, values, backward ? 'after' : 'before', true);
        otherSide = `EXISTS (${this.adaptive(ctes, 'other', scope, trigram, other, this.orderBy(keys, !backward), 1)})`;
      }
      ctes.unshift(
        // The pattern to ask the index with, whether the term is rare, at most how many rows hold it.
        `sample AS MATERIALIZED (SELECT ${this.tuning.sample ? `* FROM roster_search_sample('${def.table}', ${trigram.probe}, ${Math.min(RARE, this.tuning.cap)})` : `${trigram.probe} AS probe, false AS rare, NULL::real AS most`})`,
        `cand AS MATERIALIZED (SELECT roster_search_ids('${def.table}', (SELECT probe FROM sample), ${this.tuning.cap + 1}) AS id)`,
      );
      const ids = this.adaptive(ctes, 'walk', scope, trigram, keysetCond, order, limit + 1, skip);
      rows = `SELECT c.* FROM ${def.table} c WHERE c.account_id = ${this.account} AND c.id IN (${ids})`;
    } else {
      if (page.kind === 'keyset' && values.length) {
        // Probed in index order from the anchor outwards, so it reads one entry; as a bare EXISTS
        // the planner may pick a scan that reads the account when few records lie on that side.
        const outwards = this.orderBy(keys, !backward);
        otherSide = `coalesce((SELECT true ${base} AND ${this.compare(keys, values, backward ? 'after' : 'before', true)} ORDER BY ${outwards} LIMIT 1), false)`;
      }
      rows = `SELECT c.* ${base}${keysetCond}\n  ORDER BY ${order} LIMIT ${limit + 1}`;
      if (offset) {
        // A deep offset skips its rows by key alone (an index-only scan where the index covers
        // the sort key), then fetches just the page's rows: skipping whole rows reads the heap
        // for every one of them.
        const key = keys.length === 1 && def.sortKeys[keys[0].key]!.unique ? this.sortSql(keys[0]) : 'c.id';
        rows = `SELECT c.* FROM ${def.table} c WHERE c.account_id = ${this.account} AND ${key} IN (SELECT ${key} ${base}\n  ORDER BY ${order} LIMIT ${limit + 1}${offset})\n  ORDER BY ${order}`;
      }
    }
    // A kept count is read in the page's snapshot and needs no version to be cached under. A
    // count with a search takes every candidate: exact, and as slow as the term is common.
    const kept = q.count ? keptCount(q, def) : undefined;
    const total = !q.count || this.opts.count === false ? 'NULL::bigint' : kept ? this.keptTotal(kept) : `(SELECT count(*) ${base})`;
    const version = q.count && !kept ? this.version() : 'NULL::bigint';
    // The page is fetched one record past the limit, which tells whether there is more on that
    // side; the extra record is dropped here, and a backward page is put back in forward order,
    // so the records leave as finished JSON text that can be passed through untouched.
    const forward = `c._rn ${backward ? 'DESC' : 'ASC'}`;
    const text =
      (ctes.length ? `WITH ${ctes.join(',\n')}\n` : '') +
      `SELECT coalesce(p.records, '[]')::text AS records, p.keys, coalesce(p.fetched > ${limit}, false) AS more,\n` +
      `  ${anchorFound} AS anchor_found,\n  ${otherSide} AS has_other_side,\n  ${total} AS total,\n  ${version} AS version\n` +
      `FROM (SELECT json_agg((SELECT row_to_json(r) FROM (SELECT ${this.recordItems()}) r) ORDER BY ${forward}) FILTER (WHERE c._rn <= ${limit}) AS records,\n` +
      `    json_agg(json_build_array(${sortValues}, c.id) ORDER BY ${forward}) FILTER (WHERE c._rn <= ${limit}) AS keys, count(*) AS fetched\n` +
      `  FROM (SELECT c.*, row_number() OVER (ORDER BY ${order}) AS _rn FROM (${rows}) c) c) p`;
    return { text, params: this.p.values, prepare: this.preparable() };
  }

  private orderBy(keys: SortTerm[], backward: boolean): string {
    return keys.map((k) => `${this.sortSql(k)} ${(k.dir === 'asc') !== backward ? 'ASC' : 'DESC'}`).join(', ');
  }

  /**
   * The ids of the first `need` matches of a trigram search past `cond`, in `order`, after
   * skipping `skip` of them. How they are found depends on how common the term is, which only the
   * data can tell, so the statement finds out as it runs, cheapest question first. `<name>_way`
   * settles on one of four ways, and each way's branch is guarded by that answer, which Postgres
   * evaluates before it runs the branch (a one-time filter), so only the chosen one runs:
   *
   * 0. a term whose rarest trigrams the trigram sample puts in few rows goes straight to way 2:
   *    its candidates cost a millisecond, a walk through rows that do not match costs several;
   * 1. a short walk of the sort order's index, testing each row: a term matching more than one
   *    row in `tuning.short` fills the page here, without touching the trigram index;
   * 2. otherwise the bounded candidate lookup (`cand`): at most `tuning.cap` candidates means
   *    the lookup found them all, and they are sorted. Skipped when the sample puts the term's
   *    rarest trigram in more rows than that: the index would build the whole match bitmap
   *    before the bound applies, which at 10M rows costs more than both walks;
   * 3. otherwise a term that common is met every few hundred rows: a longer walk, at most
   *    `tuning.walk` rows per match needed;
   * 4. a walk that reaches its bound (the term is common overall but rare in this stretch of the
   *    order, or among the filtered records) gives way to every candidate, sorted.
   *
   * A walk carries a sentinel, the last row it may read, so a walk that ran out of rows (its
   * matches are all there are) is told apart from one cut short by its bound.
   */
  private adaptive(ctes: string[], name: string, scope: string[], t: TrigramSearch, cond: string, order: string, need: number, skip?: string): string {
    const { def } = this;
    // An offset page needs its skipped matches too, but the walks stay bounded by the page: a
    // deep offset on a term that is not very common goes to the candidates, as it did before.
    const wanted = skip ? `${need} + ${skip}` : String(need);
    const offset = skip ? ` OFFSET ${skip}` : '';
    const cols = [...new Set([...this.sortTerms().map((k) => this.sortSql(k)), 'c.id'])].join(', ');
    // Only the sort keys and the verdict travel through a walk: narrow rows keep the row
    // numbering cheap, and the page's own rows are read by id afterwards. The bound is a
    // subquery so the planner does not take it for the rows the walk will read: a walk mostly
    // stops long before it, and planned for all of them, a walk over a small account (or past
    // a late anchor) became a sort of every remaining row.
    const walk = (cte: string, bound: string) => {
      ctes.push(
        `${cte} AS MATERIALIZED (SELECT c.id, c._hit, c._n FROM (SELECT c.*, row_number() OVER (ORDER BY ${order}) AS _n FROM (` +
          `SELECT ${cols}, ${t.match} AS _hit FROM ${def.table} c WHERE ${scope.join(' AND ')}${cond} ORDER BY ${order} LIMIT ${bound}) c) c\n` +
          `  WHERE (c._hit AND c._n < ${bound}) OR c._n = ${bound} ORDER BY ${order} LIMIT ${wanted})`,
      );
      return `NOT EXISTS (SELECT 1 FROM ${cte} w WHERE w._n = ${bound})`;
    };
    // The short walk is for the page alone: a match in every few rows fills it, offset or not.
    // The longer walk also covers a shallow offset, up to as many matches again as the page.
    const short = walk(`${name}_short`, `(SELECT ${need * this.tuning.short})`);
    const long = walk(`${name}_long`, skip ? `(SELECT least(${need} + ${skip}, ${2 * need}) * ${this.tuning.walk})` : `(SELECT ${need * this.tuning.walk})`);
    const way = `${name}_way`;
    const few = `(SELECT count(*) FROM cand) <= ${this.tuning.cap}`;
    const rare = `(SELECT rare FROM sample)`;
    const common = `coalesce((SELECT most > ${this.tuning.cap} FROM sample), false)`;
    ctes.push(
      `${way} AS MATERIALIZED (SELECT CASE WHEN ${rare} AND ${few} THEN 2 WHEN ${short} THEN 1 WHEN NOT ${common} AND ${few} THEN 2 WHEN ${long} THEN 3 ELSE 4 END AS n)`,
    );
    const chosen = (n: number) => `(SELECT n FROM ${way}) = ${n}`;
    const walked = (cte: string, n: number) => `(SELECT w.id FROM ${cte} w WHERE ${chosen(n)} AND w._hit ORDER BY w._n LIMIT ${need}${offset})`;
    const sorted = (source: string, n: number) =>
      `(SELECT c.id ${this.candidates(scope, t, source)} AND ${chosen(n)}${cond}\n    ORDER BY ${order} LIMIT ${need}${offset})`;
    return [walked(`${name}_short`, 1), sorted('SELECT id FROM cand', 2), walked(`${name}_long`, 3), sorted(this.allCandidates('(SELECT probe FROM sample)'), 4)].join('\n  UNION ALL ');
  }

  /** The matches among the ids `source` yields, as a FROM clause that more conditions extend. */
  private candidates(scope: string[], t: TrigramSearch, source: string): string {
    // OFFSET 0 keeps the subquery from being flattened: the candidates are found, then ordered.
    // Left to itself, the planner may instead walk a sort-key index hoping to meet matches
    // early, with no bound on how far it walks.
    return `FROM (SELECT c.* FROM ${this.def.table} c WHERE ${[...scope, `c.id IN (${source})`, t.match].join(' AND ')} OFFSET 0) c WHERE TRUE`;
  }

  /** Every candidate, looked up by `probe` (the trigram sample's pattern where it has one). */
  private allCandidates(probe: string): string {
    return `SELECT roster_search_ids('${this.def.table}', ${probe})`;
  }

  /** The pattern to ask the trigram index with, in a statement without the `sample` step. */
  private sampledProbe(t: TrigramSearch): string {
    return this.tuning.sample ? `roster_search_probe('${this.def.table}', ${t.probe})` : t.probe;
  }

  /** The record's select items: the fields the query asks for, or all of them. */
  private recordItems(): string {
    const wanted = this.q.fields ?? this.def.record;
    let lists = selectLists.get(this.def.record);
    if (!lists) selectLists.set(this.def.record, (lists = new WeakMap()));
    let items = lists.get(wanted);
    if (items === undefined) {
      const names = this.q.fields ?? Object.keys(this.def.record);
      for (const name of names) if (!(name in this.def.record)) throw new Error(`${this.q.resource} records have no field ${name}`);
      items = Object.entries(this.def.record)
        .filter(([name]) => names.includes(name))
        .map(([name, sql]) => (sql === `c.${name}` ? sql : `${sql} AS ${name}`))
        .join(', ');
      lists.set(wanted, items);
    }
    return items;
  }

  /** The exact count alone, with the write version it was taken at. */
  compileCount(): Statement {
    const kept = keptCount(this.q, this.def);
    if (kept) return { text: `SELECT ${this.keptTotal(kept)} AS total, ${this.version()} AS version`, params: this.p.values, prepare: true };
    const where = [`c.account_id = ${this.account}`, this.filter(this.q.filter), this.search()].filter((s) => s !== 'TRUE');
    const text = `SELECT count(*) AS total, ${this.version()} AS version FROM ${this.def.table} c WHERE ${where.join(' AND ')}`;
    return { text, params: this.p.values, prepare: this.preparable() };
  }

  /**
   * A few counter rows, read in the statement's snapshot, so as exact as count(*). Values are
   * cast to the field's type first, as a filter casts them, then to the counters' text form.
   */
  private keptTotal(k: KeptCount): string {
    const conds = [`k.account_id = ${this.account}`, `k.dim = '${k.by.map((b) => b.field).join(',')}'`];
    const texts = k.by.map((b) => {
      const f = this.field(b.field);
      const values = this.arrayValue(f, b.values);
      return f.type === 'text' ? values : `${values}::text[]`;
    });
    // A pair's counter holds both values, joined by chr(31) (migration 096).
    if (texts.length === 1) conds.push(`k.value = ANY(${texts[0]})`);
    if (texts.length === 2) conds.push(`k.value IN (SELECT a || chr(31) || b FROM unnest(${texts[0]}) a, unnest(${texts[1]}) b)`);
    if (k.live.length < 2) conds.push(k.live.length === 0 ? 'FALSE' : k.live[0] ? 'k.live' : 'NOT k.live');
    return `(SELECT coalesce(sum(k.n), 0)::bigint FROM ${k.table} k WHERE ${conds.join(' AND ')})`;
  }

  private version(): string {
    return `(SELECT v.write_version FROM account_modes v WHERE v.account_id = ${this.account})`;
  }

  /**
   * Sort terms with the id appended as tiebreak, in the direction of the last term; terms after
   * a unique key are dropped, so the order matches that key's index exactly.
   */
  private sortTerms(): SortTerm[] {
    const terms: SortTerm[] = [];
    for (const t of this.q.sort) {
      const def = this.def.sortKeys[t.key];
      if (!def) throw new RosterError('invalid_request', `cannot sort ${this.q.resource} by ${t.key}`);
      terms.push(t);
      if (def.unique || t.key === 'id') return terms;
    }
    terms.push({ key: 'id', dir: terms.at(-1)?.dir ?? 'asc' });
    return terms;
  }

  private sortSql(t: SortTerm): string {
    return this.def.sortKeys[t.key]!.sql;
  }

  private anchorValues(anchor: Anchor, keys: SortTerm[]): string[] {
    if ('values' in anchor) {
      if (anchor.values.length !== keys.length) throw new RosterError('invalid_cursor', 'The cursor does not match the sort order');
      const types = keys.map((k) => this.def.sortKeys[k.key]!.type);
      if (types.some((t, i) => !fitsSortType(t, anchor.values[i]))) throw new RosterError('invalid_cursor', 'The cursor is not one this API issued');
      return keys.map((_, i) => this.p.add(anchor.values[i], types[i]));
    }
    return keys.map((_, i) => `(SELECT k${i} FROM anchor)`);
  }

  /**
   * Rows strictly after (or before) the anchor in sort order; `inclusive` also takes the
   * anchor's own position. Uniform directions compile to one row comparison, which an index
   * serves directly; mixed directions expand to the equivalent OR chain.
   */
  private compare(keys: SortTerm[], values: string[], side: 'after' | 'before', inclusive: boolean): string {
    const op = (dir: 'asc' | 'desc') => ((dir === 'asc') === (side === 'after') ? '>' : '<');
    const cols = keys.map((k) => this.sortSql(k));
    if (keys.every((k) => k.dir === keys[0].dir)) {
      return `(${cols.join(', ')}) ${op(keys[0].dir)}${inclusive ? '=' : ''} (${values.join(', ')})`;
    }
    const ors = keys.map((k, i) => {
      const eqs = cols.slice(0, i).map((c, j) => `${c} = ${values[j]}`);
      const last = i === keys.length - 1 && inclusive ? `${op(k.dir)}=` : op(k.dir);
      return `(${[...eqs, `${cols[i]} ${last} ${values[i]}`].join(' AND ')})`;
    });
    return `(${ors.join(' OR ')})`;
  }

  private field(name: string) {
    const f = this.def.fields[name as keyof ResourceDef['fields']];
    if (!f) throw new RosterError('invalid_request', `${this.q.resource} cannot be filtered by ${name}`);
    return f;
  }

  private value(f: { type: SqlType; ci?: boolean }, v: Scalar): string {
    return this.p.add(f.ci && typeof v === 'string' ? v.toLowerCase() : v, f.type);
  }

  /**
   * An array parameter of the field's type. Booleans go in as text and are cast in SQL:
   * postgres.js declares an array of booleans as a single boolean, and once it knows the
   * parameter is boolean[] it sends any string in it as false.
   */
  private arrayValue(f: { type: SqlType; ci?: boolean }, values: readonly Scalar[]): string {
    if (f.type === 'boolean') return `${this.p.add(values.map(String), 'text[]' as SqlType)}::boolean[]`;
    return this.p.add(values.map((v) => (f.ci && typeof v === 'string' ? v.toLowerCase() : v)), `${f.type}[]` as SqlType);
  }

  /** A walker keyed by node kind: adding a kind is a compile error until it is handled here. */
  private filter(node: Filter): string {
    switch (node.kind) {
      case 'and':
        return node.filters.length === 0 ? 'TRUE' : node.filters.map((f) => this.filter(f)).filter((s) => s !== 'TRUE').join(' AND ') || 'TRUE';
      case 'or':
        return node.filters.length === 0 ? 'FALSE' : `(${node.filters.map((f) => this.filter(f)).join(' OR ')})`;
      case 'not':
        return `NOT (${this.filter(node.filter)})`;
      case 'eq': {
        const f = this.field(node.field);
        return `${f.sql} = ${this.value(f, node.value)}`;
      }
      case 'in': {
        const f = this.field(node.field);
        if (node.values.length === 0) return 'FALSE';
        return `${f.sql} = ANY(${this.arrayValue(f, node.values)})`;
      }
      case 'range': {
        const f = this.field(node.field);
        const parts = (['gt', 'gte', 'lt', 'lte'] as const)
          .filter((k) => node[k] !== undefined)
          .map((k) => `${f.sql} ${OPS[k]} ${this.value(f, node[k]!)}`);
        return parts.join(' AND ') || 'TRUE';
      }
      case 'null':
        return `${this.field(node.field).sql} IS ${node.isNull ? '' : 'NOT '}NULL`;
      case 'jsonHasKeys':
        return `c.${node.field} ?& ${this.p.add(node.keys, 'text[]' as SqlType)}`;
      case 'jsonContains':
        return `c.${node.field} @> ${this.p.add(JSON.stringify(node.value), 'text') + '::jsonb'}`;
      case 'childOf':
        return `c.parent_id = ${this.ref(node.parent)}`;
      case 'descendantOf':
        return `c.ancestors @> ARRAY[${this.ref(node.ancestor)}]::text[]`;
      case 'underOperator':
        return `c.operator_id = ${this.ref(node.operator)}`;
      case 'hasProductAccount': {
        const conds = [`pa.account_id = c.account_id`, `pa.customer_id = c.id`];
        if (node.product !== undefined) conds.push(`pa.product = ${this.p.add(node.product, 'text')}`);
        if (node.kycStatuses !== undefined) conds.push(`pa.kyc_status = ANY(${this.p.add(node.kycStatuses, 'text[]' as SqlType)})`);
        return `EXISTS (SELECT 1 FROM product_accounts pa WHERE ${conds.join(' AND ')})`;
      }
      case 'hasTag':
        return `EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.account_id = c.account_id AND ct.customer_id = c.id AND ct.tag_id = ${this.p.add(node.tagId, 'uuid')})`;
      case 'hasToken': {
        const value = node.value !== undefined ? ` AND tk.value = ${this.p.add(node.value, 'text')}` : '';
        const type = node.type !== undefined ? ` AND tk.type = ${this.p.add(node.type, 'text')}` : '';
        return `EXISTS (SELECT 1 FROM customer_tokens tk WHERE tk.account_id = c.account_id AND tk.customer_id = c.id AND tk.deleted_at IS NULL${value}${type})`;
      }
      default: {
        const unhandled: never = node;
        throw new Error(`unhandled filter ${(unhandled as Filter).kind}`);
      }
    }
  }

  /** A customer reference resolved inside the statement, within the same account. */
  private ref(r: CustomerRef): string {
    if (r.by === 'id') return this.p.add(r.value, 'text');
    const col = r.by === 'number' ? 'number' : 'external_id';
    const type: SqlType = r.by === 'number' ? 'bigint' : 'text';
    return `(SELECT r.id FROM customers r WHERE r.account_id = ${this.account} AND r.${col} = ${this.p.add(r.value, type)} LIMIT 1)`;
  }

  /**
   * Whether the statement may be prepared, and so planned once for any parameters. A trigram
   * search may: its candidates come from roster_search_ids, which plans its own lookup with the
   * actual pattern on every call, so a generic plan of the outer statement cannot lose the
   * index (see the plan tests). A short search may not: how many records its ranges match
   * decides whether to walk the sort index or collect the matches, and only a custom plan
   * sees the term.
   */
  private preparable(): boolean {
    return !this.isShortSearch();
  }

  /** Trigrams need three characters; shorter terms are served by b-tree ranges instead. */
  private isShortSearch(): boolean {
    const s = this.q.search;
    return !!s && s.term !== '' && [...s.term].length < SHORT_TERM;
  }

  private search(): string {
    const s = this.q.search;
    if (!s || s.term === '') return 'TRUE';
    if (this.isShortSearch()) return this.shortSearch(s);
    const t = this.trigramSearch()!;
    return `c.id IN (${this.allCandidates(this.sampledProbe(t))}) AND ${t.match}`;
  }

  /**
   * A term of three characters or more: the exact match of a row, and the pattern that finds
   * its candidates through the trigram index (through roster_search_ids, which keeps the index
   * usable under row-level security). The match tests the combined search column, which the
   * candidates were found by, then each field, which keeps the exact semantics.
   */
  private trigramSearch(): TrigramSearch | undefined {
    const s = this.q.search;
    if (!s || s.term === '' || this.isShortSearch()) return undefined;
    if (this.trigram) return this.trigram;
    const term = s.term.toLowerCase();
    const anywhere = this.p.add(`%${likeEscape(term)}%`, 'text');
    const fieldPattern = s.mode === 'prefix' ? this.p.add(`${likeEscape(term)}%`, 'text') : anywhere;
    const checks = s.fields.map((name) => {
      const sql = this.def.search.fields[name];
      if (!sql) throw new RosterError('invalid_request', `${this.q.resource} cannot be searched by ${name}`);
      return `${sql} LIKE ${fieldPattern}`;
    });
    const wide = probePattern(term);
    const probe = wide === `%${likeEscape(term)}%` ? anywhere : this.p.add(wide, 'text');
    return (this.trigram = { match: `c.search_text LIKE ${anywhere} AND (${checks.join(' OR ')})`, probe });
  }

  /**
   * A one- or two-character term matches the start of the name or the email (and, if it is
   * digits, the customer number exactly): ranges on lower-cased "C"-collated columns, which a
   * b-tree serves and which stay index conditions under row-level security. A substring that
   * short matches most of an account and no index can find it, so it is bounded this way and
   * documented per dialect.
   */
  private shortSearch(s: NonNullable<ScopedQuery['search']>): string {
    const term = s.term.toLowerCase();
    const arms: string[] = [];
    let lo: string | undefined;
    let hi: string | undefined;
    for (const name of s.fields) {
      const col = this.def.search.prefix[name];
      if (col) {
        lo ??= this.p.add(term, 'text');
        // Every string that starts with the term sorts below the term followed by the highest
        // code point, in bytewise ("C") order.
        hi ??= this.p.add(term + '\u{10FFFF}', 'text');
        arms.push(`(${col} >= ${lo} AND ${col} < ${hi})`);
      } else if (this.def.search.casedPrefix?.[name]) {
        const cased = this.def.search.casedPrefix[name];
        for (const spelling of caseSpellings(term)) arms.push(`(${cased} >= ${this.p.add(spelling, 'text')} AND ${cased} < ${this.p.add(spelling + '\u{10FFFF}', 'text')})`);
      } else if (name === 'number' && /^[0-9]+$/.test(term) && this.def.fields.number) {
        arms.push(`c.number = ${this.p.add(Number(term), 'bigint')}`);
      }
    }
    return arms.length ? `(${arms.join(' OR ')})` : 'FALSE';
  }
}

const SHORT_TERM = 3;

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
 * Record select lists per resource, built once per declared field list (each dialect declares
 * its own as a constant) or once for all fields: a list request should not rebuild them.
 */
const selectLists = new WeakMap<object, WeakMap<object, string>>();

interface TrigramSearch {
  /** The exact test of one row. */
  match: string;
  /** The LIKE pattern candidates are looked up by: every match matches it. */
  probe: string;
}

/**
 * A list gathers and sorts at most 3,000 candidates; a term with more is common, and a walk of
 * the sort order meets it often enough: on an account of a million, every 330 rows or sooner, so
 * a page of 20 takes about 7,000 rows. Below that the walk would read more rows than there are
 * candidates to sort (measured at a million customers, where the two cost the same near 3,000
 * matches when sorted by name, whose rows are scattered over the table). The short walk reads
 * 50 rows per match needed (1,050 for a page of 20): about a millisecond on a selective term,
 * which spares a term in one row in 50 or more the bounded lookup, whose cost grows with the
 * posting lists it decodes (tens of milliseconds for "son" at a million). The longer walk stops
 * after 1,000 rows per match, where sorting every candidate wins again.
 */
/** Rows the trigram sample may expect to hold a term's rarest trigrams for the term to count as rare. */
const RARE = 200;
const SEARCH_TUNING: SearchTuning = { cap: 3000, short: 50, walk: 1000, sample: true };

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

export function compileList(q: ScopedQuery, opts: CompileOptions = {}): Statement {
  return new ListCompiler(q, opts).compile();
}

export function compileCount(q: ScopedQuery): Statement {
  return new ListCompiler(q).compileCount();
}

/** Whether the query's count comes from the counters, and so costs the same after any write. */
export function countIsKept(q: ScopedQuery): boolean {
  return keptCount(q, RESOURCES[q.resource]) !== undefined;
}
