import type { Anchor, CustomerRef, Filter, Scalar, SortTerm } from '../../core/list-query.ts';
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

  constructor(private readonly q: ScopedQuery, private readonly opts: CompileOptions = {}) {
    this.def = RESOURCES[q.resource];
    this.account = this.p.add(q.accountId, 'text');
  }

  compile(): Statement {
    const { q, def } = this;
    const where = [`c.account_id = ${this.account}`, this.filter(q.filter), this.search()].filter((s) => s !== 'TRUE');
    // A search is planned on its own (OFFSET 0 keeps the subquery from being flattened): the
    // trigram index finds the matches, then they are ordered. Left to itself, the planner may
    // instead walk a sort-key index hoping to meet matches early, and read the whole account.
    const base = q.search && !this.isShortSearch()
      ? `FROM (SELECT c.* FROM ${def.table} c WHERE ${where.join(' AND ')} OFFSET 0) c WHERE TRUE`
      : `FROM ${def.table} c WHERE ${where.join(' AND ')}`;
    const keys = this.sortTerms();
    const page = q.page;
    let anchorCte = '';
    let anchorFound = 'NULL::boolean';
    let otherSide = 'NULL::boolean';
    let keysetCond = '';
    let backward = false;
    let offset = '';

    if (page.kind === 'keyset') {
      const anchor = page.after ?? page.before;
      backward = page.before !== undefined && page.after === undefined;
      if (page.after && page.before) throw new RosterError('invalid_request', 'A page cannot start after one record and end before another');
      if (anchor) {
        const values = this.anchorValues(anchor, keys);
        if (!('values' in anchor)) {
          const [name, value] = 'number' in anchor ? ['number', anchor.number] : 'uuid' in anchor ? ['uuid', anchor.uuid] : ['id', anchor.id];
          const f = this.field(name);
          anchorCte = `WITH anchor AS (SELECT ${keys.map((k, i) => `${this.sortSql(k)} AS k${i}`).join(', ')} FROM ${def.table} c WHERE c.account_id = ${this.account} AND ${f.sql} = ${this.value(f, value)})\n`;
          anchorFound = 'EXISTS (SELECT 1 FROM anchor)';
        }
        keysetCond = ' AND ' + this.compare(keys, values, backward ? 'before' : 'after', false);
        // Probed in index order from the anchor outwards, so it reads one entry; as a bare EXISTS
        // the planner may pick a scan that reads the account when few records lie on that side.
        const outwards = keys.map((k) => `${this.sortSql(k)} ${(k.dir === 'asc') !== backward ? 'DESC' : 'ASC'}`).join(', ');
        otherSide = `coalesce((SELECT true ${base} AND ${this.compare(keys, values, backward ? 'after' : 'before', true)} ORDER BY ${outwards} LIMIT 1), false)`;
      }
    } else {
      offset = ` OFFSET ${this.p.add(page.offset, 'bigint')}`;
    }

    const order = keys.map((k) => `${this.sortSql(k)} ${(k.dir === 'asc') !== backward ? 'ASC' : 'DESC'}`).join(', ');
    const sortValues = `json_build_array(${keys.map((k) => this.sortSql(k)).join(', ')})`;
    // A kept count is read in the page's snapshot and needs no version to be cached under.
    const kept = q.count ? keptCount(q, def) : undefined;
    const total = !q.count || this.opts.count === false ? 'NULL::bigint' : kept ? this.keptTotal(kept) : `(SELECT count(*) ${base})`;
    const version = q.count && !kept ? this.version() : 'NULL::bigint';
    // The page is fetched one record past the limit, which tells whether there is more on that
    // side; the extra record is dropped here, and a backward page is put back in forward order,
    // so the records leave as finished JSON text that can be passed through untouched.
    const limit = page.limit;
    let rows = `SELECT c.* ${base}${keysetCond}\n  ORDER BY ${order} LIMIT ${limit + 1}`;
    if (offset) {
      // A deep offset skips its rows by key alone (an index-only scan where the index covers
      // the sort key), then fetches just the page's rows: skipping whole rows reads the heap
      // for every one of them.
      const key = keys.length === 1 && def.sortKeys[keys[0].key]!.unique ? this.sortSql(keys[0]) : 'c.id';
      rows = `SELECT c.* FROM ${def.table} c WHERE c.account_id = ${this.account} AND ${key} IN (SELECT ${key} ${base}\n  ORDER BY ${order} LIMIT ${limit + 1}${offset})\n  ORDER BY ${order}`;
    }
    const forward = `c._rn ${backward ? 'DESC' : 'ASC'}`;
    const text =
      `${anchorCte}SELECT coalesce(p.records, '[]')::text AS records, p.keys, coalesce(p.fetched > ${limit}, false) AS more,\n` +
      `  ${anchorFound} AS anchor_found,\n  ${otherSide} AS has_other_side,\n  ${total} AS total,\n  ${version} AS version\n` +
      `FROM (SELECT json_agg((SELECT row_to_json(r) FROM (SELECT ${this.recordItems()}) r) ORDER BY ${forward}) FILTER (WHERE c._rn <= ${limit}) AS records,\n` +
      `    json_agg(json_build_array(${sortValues}, c.id) ORDER BY ${forward}) FILTER (WHERE c._rn <= ${limit}) AS keys, count(*) AS fetched\n` +
      `  FROM (SELECT c.*, row_number() OVER (ORDER BY ${order}) AS _rn FROM (${rows}) c) c) p`;
    return { text, params: this.p.values, prepare: this.preparable() };
  }

  /** The record's select items: the fields the query asks for, or all of them. */
  private recordItems(): string {
    const wanted = this.q.fields;
    const items = Object.entries(this.def.record).filter(([name]) => !wanted || wanted.includes(name));
    if (wanted) for (const name of wanted) if (!(name in this.def.record)) throw new Error(`${this.q.resource} records have no field ${name}`);
    return items.map(([name, sql]) => (sql === `c.${name}` ? sql : `${sql} AS ${name}`)).join(', ');
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
    const conds = [`k.account_id = ${this.account}`, `k.dim = '${k.by?.field ?? ''}'`];
    if (k.by) {
      const f = this.field(k.by.field);
      const values = this.arrayValue(f, k.by.values);
      conds.push(`k.value = ANY(${f.type === 'text' ? values : `${values}::text[]`})`);
    }
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
      return keys.map((k, i) => this.p.add(anchor.values[i], this.def.sortKeys[k.key]!.type));
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
    const term = likeEscape(s.term.toLowerCase());
    const anywhere = this.p.add(`%${term}%`, 'text');
    const fieldPattern = s.mode === 'prefix' ? this.p.add(`${term}%`, 'text') : anywhere;
    const checks = s.fields.map((name) => {
      const sql = this.def.search.fields[name];
      if (!sql) throw new RosterError('invalid_request', `${this.q.resource} cannot be searched by ${name}`);
      return `${sql} LIKE ${fieldPattern}`;
    });
    // The trigram index narrows on the combined column (through roster_search_ids, which keeps
    // the index usable under row-level security); the per-field test keeps the exact semantics.
    return `c.id IN (SELECT roster_search_ids('${this.def.table}', ${anywhere})) AND (${checks.join(' OR ')})`;
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
      } else if (name === 'number' && /^[0-9]+$/.test(term) && this.def.fields.number) {
        arms.push(`c.number = ${this.p.add(Number(term), 'bigint')}`);
      }
    }
    return arms.length ? `(${arms.join(' OR ')})` : 'FALSE';
  }
}

const SHORT_TERM = 3;

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
