import type { FieldTest, FieldsOf, RelationsOf, Resource, SearchField, SortKey, TestsOf } from '../../core/list-query.ts';
import type { Params } from './params.ts';

// The shape of a resource's definition in SQL; resources.ts holds the definitions.

export type SqlType = 'text' | 'bigint' | 'boolean' | 'timestamptz' | 'uuid';

export interface FieldDef {
  sql: string;
  type: SqlType;
  /** Compared case-insensitively: the value is lower-cased and `sql` is already lower(). */
  ci?: boolean;
  /** The column may be NULL, so a comparison with it may be NULL too (see `not` in filter.ts). */
  nullable?: boolean;
  /**
   * No index of the table has this column among its keys, so no plan can depend on its value:
   * a filter's values for it are kept from the planner (`unplanned` in params.ts). The schema
   * test holds this against the table's indexes.
   */
  rowOnly?: true;
}

export interface ResourceDef<R extends Resource = Resource> {
  table: string;
  /** Every field a filter of this resource may name (FieldsOf in the query tree). */
  fields: Record<FieldsOf[R], FieldDef>;
  /** Every sort expression is a NOT NULL plain column, so keyset comparisons never meet a
   * NULL, and stay index conditions under row-level security (migration 050). */
  /** `unique`: the key alone orders records totally (per account), so no id tiebreak is added. */
  sortKeys: Partial<Record<SortKey, { sql: string; type: SqlType; unique?: boolean }>>;
  /** Per-field search expressions; candidates come from the table's trigram-indexed `text`. */
  search: {
    /** The lower-cased text of every searched field, which the trigram index covers. */
    text: string;
    fields: Partial<Record<SearchField, string>>;
    /**
     * For terms too short for trigrams (one or two characters): the lower-cased, "C"-collated
     * b-tree columns whose start the term is matched against, through a range an index serves.
     */
    prefix: Partial<Record<SearchField, string>>;
    /**
     * The same for columns kept as written, not lower-cased (an external id): the term is
     * matched in each of its case spellings, at most four for two letters, each a range.
     */
    casedPrefix?: Partial<Record<SearchField, string>>;
    /**
     * The fields whose lower-cased text `text` holds whole: a `contains` test of one of them has
     * every match among the trigram index's candidates for its value.
     */
    covers: readonly FieldsOf[R][];
  };
  /** One record's JSON fields and the SQL of each, built in Postgres from the row aliased `c`. */
  record: Readonly<Record<string, string>>;
  /** Per relation a list may embed: the column holding the related record's id (same table). */
  relations: Record<RelationsOf[R], string>;
  /**
   * The counters kept on write (migration 070): their table, the fields counted per value, and
   * whether pairs of them are counted too (096). This is the one list of counted fields: the
   * functions that list a record's counters (sql/functions/roster_*_count_keys.sql) are made from
   * it, and the tests' oracle reads it.
   */
  counts: { table: string; fields: readonly FieldsOf[R][]; pairs: boolean };
  /** The tests only this resource has (beyond tests of its fields) in SQL; none for users. */
  tests: [OwnTest<R>] extends [never] ? undefined : (node: OwnTest<R>, p: Params, account: string) => string;
  /** Whether the SQL of one of those tests may be NULL rather than true or false. */
  testMayBeNull: [OwnTest<R>] extends [never] ? undefined : (node: OwnTest<R>) => boolean;
}

type OwnTest<R extends Resource> = Exclude<TestsOf[R], FieldTest>;

/** Either resource's definition, as the compiler sees the one a query names. */
export type AnyResourceDef = { [R in Resource]: ResourceDef<R> }[Resource];
