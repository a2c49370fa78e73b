// The one internal query tree every dialect parses into. Nodes are plain frozen data; the
// store's compiler is the only place that turns them into SQL.

export type Resource = 'customers' | 'users';

/** Fields a customer filter may name. */
export type CustomerField =
  | 'id'
  | 'number'
  | 'uuid'
  | 'external_id'
  | 'type'
  | 'party_type'
  | 'name'
  | 'first_name'
  | 'last_name'
  | 'email'
  | 'phone_number'
  | 'country'
  | 'status'
  | 'kyb_status'
  | 'kyc_status'
  | 'application_status'
  | 'parent_id'
  | 'operator_id'
  | 'is_sub_client'
  | 'created_at'
  | 'updated_at'
  | 'deleted_at';

/** Fields a team-user filter may name. */
export type UserField = 'id' | 'email' | 'first_name' | 'last_name' | 'role' | 'created_at' | 'updated_at' | 'deleted_at';

/** Each resource's filterable fields: the store's compiler has SQL for exactly these. */
export interface FieldsOf {
  customers: CustomerField;
  users: UserField;
}

export type Field = FieldsOf[Resource];

export type Scalar = string | number | boolean;

/** A customer named by one of its identifiers (ids, Spirii's integers, the caller's own id). */
export type CustomerRef = { by: 'id'; value: string } | { by: 'number'; value: number } | { by: 'external_id'; value: string };

/** Tests of one field's value, which every resource has over its own fields. */
export type FieldTest<F extends Field = Field> =
  | { readonly kind: 'eq'; readonly field: F; readonly value: Scalar }
  | { readonly kind: 'in'; readonly field: F; readonly values: readonly Scalar[] }
  | { readonly kind: 'range'; readonly field: F; readonly gt?: Scalar; readonly gte?: Scalar; readonly lt?: Scalar; readonly lte?: Scalar }
  | { readonly kind: 'null'; readonly field: F; readonly isNull: boolean }
  /** The field's text starts with the value (case-insensitively where the field compares so). */
  | { readonly kind: 'prefix'; readonly field: F; readonly value: string }
  /** The field's text holds the value anywhere, compared case-insensitively. */
  | { readonly kind: 'contains'; readonly field: F; readonly value: string };

/** Tests only customers have: their JSON objects, their place in a hierarchy, rows of their own. */
export type CustomerTest =
  | { readonly kind: 'jsonHasKeys'; readonly field: 'attributes' | 'metadata'; readonly keys: readonly string[] }
  | { readonly kind: 'jsonContains'; readonly field: 'attributes' | 'metadata'; readonly value: Readonly<Record<string, unknown>> }
  | { readonly kind: 'childOf'; readonly parent: CustomerRef }
  | { readonly kind: 'descendantOf'; readonly ancestor: CustomerRef }
  | { readonly kind: 'underOperator'; readonly operator: CustomerRef }
  /** Owns at least one live customer: is the parent of one. */
  | { readonly kind: 'hasChildren' }
  | { readonly kind: 'hasProductAccount'; readonly product?: string; readonly kycStatuses?: readonly string[] }
  | { readonly kind: 'hasTag'; readonly tagId: string }
  /** A live token with this value and/or type; at least one of them is given. */
  | { readonly kind: 'hasToken'; readonly value?: string; readonly type?: string };

/** The tests a filter of each resource is made of: a test another resource has is a type error. */
export interface TestsOf {
  customers: FieldTest<CustomerField> | CustomerTest;
  users: FieldTest<UserField>;
}

/**
 * Tests combined, in two-valued logic: a test of a field that is null is false, so `not` of it
 * is true (`not(eq(country, 'DK'))` keeps the records without a country).
 */
export type Tree<T> =
  | T
  | { readonly kind: 'and'; readonly filters: readonly Tree<T>[] }
  | { readonly kind: 'or'; readonly filters: readonly Tree<T>[] }
  | { readonly kind: 'not'; readonly filter: Tree<T> };

/** A filter over one resource's records; `Filter` alone is one over either. */
export type Filter<R extends Resource = Resource> = Tree<TestsOf[R]>;

/** The tests a filter ANDs together, nested `and`s flattened. */
export const conjunctsOf = (f: Filter): Filter[] => (f.kind === 'and' ? f.filters.flatMap(conjunctsOf) : [f]);

export type FilterKind = Filter['kind'];

export type SearchField = 'id' | 'number' | 'external_id' | 'name' | 'first_name' | 'last_name' | 'email' | 'phone_number';

export interface Search {
  readonly term: string;
  readonly fields: readonly SearchField[];
  /** `substring` matches anywhere in a field; `prefix` only at its start (or a word's start for names). */
  readonly mode: 'substring' | 'prefix';
}

/** Keys a list can be ordered by. The id is always appended as the final tiebreak. */
export type SortKey =
  | 'id'
  | 'number'
  | 'name'
  | 'email'
  | 'type'
  | 'party_type'
  | 'kyb_status'
  | 'kyc_status'
  | 'application_status'
  | 'parent_name'
  | 'operator_name'
  | 'role'
  | 'created_at'
  | 'updated_at'
  /** The caller's own id, or Roster's id where none is set: the id a caller knows a record by. */
  | 'external_id';

export interface SortTerm {
  readonly key: SortKey;
  readonly dir: 'asc' | 'desc';
}

/**
 * Where a keyset page starts: after/before a record named by one of its identifiers (resolved
 * inside the page's own statement, deleted or not), or at decoded cursor values.
 */
export type Anchor = { readonly id: string } | { readonly number: number } | { readonly uuid: string } | { readonly values: readonly (string | number | null)[]; readonly id: string };

/** How an anchor names its record, for messages. */
export const anchorName = (a: Anchor): string => String('number' in a ? a.number : 'uuid' in a ? a.uuid : a.id);

export type Page =
  | { readonly kind: 'keyset'; readonly limit: number; readonly after?: Anchor; readonly before?: Anchor }
  | { readonly kind: 'offset'; readonly limit: number; readonly offset: number };

/** A list of one resource: its filter can only hold tests that resource has. */
export interface ListQueryOf<R extends Resource> {
  readonly resource: R;
  /** The record fields the caller reads; all of them when absent. A dialect that renders a few
   * fields names them, and Postgres builds only those (no child-record lookups it would drop). */
  readonly fields?: readonly string[];
  /** Related records embedded in each record under the relation's name, built by the same
   * statement; `null` where a record refers to none. */
  readonly expand?: readonly RelationsOf[R][];
  readonly filter: Filter<R>;
  readonly search?: Search;
  readonly sort: readonly SortTerm[];
  readonly page: Page;
  /**
   * Ask for the number of matching records: `true` exactly; `estimated` as the planner guesses
   * it, unless the counters kept on write answer exactly at the same cost (see count.ts).
   */
  readonly count: boolean | 'estimated';
  /** Soft-deleted records: hidden by default, mixed in with `include`, alone with `only`. */
  readonly deleted: 'exclude' | 'include' | 'only';
}

export type ListQuery = { [R in Resource]: ListQueryOf<R> }[Resource];

/** Records a record of each resource refers to by id, which a list can embed in it. */
export interface RelationsOf {
  customers: 'parent' | 'operator';
  users: never;
}

export type Relation = RelationsOf[Resource];

// Builders: small helpers so dialects read declaratively.
export const TRUE = Object.freeze({ kind: 'and', filters: [] }) satisfies Filter;
/** Every given filter; undefined ones and empty ands are left out. Its tests are theirs, so it
 * fits the filter of each resource that has them all. */
export function and<const A extends readonly (Filter | undefined)[]>(...filters: A): Tree<NonNullable<A[number]>> {
  const kept = filters.filter((f): f is NonNullable<A[number]> => f !== undefined && !(f.kind === 'and' && f.filters.length === 0));
  return kept.length === 1 ? kept[0] : { kind: 'and', filters: kept };
}
export const eq = <F extends Field>(field: F, value: Scalar): FieldTest<F> => ({ kind: 'eq', field, value });
export const inList = <F extends Field>(field: F, values: readonly Scalar[]): FieldTest<F> => ({ kind: 'in', field, values });

export function listQuery<R extends Resource>(q: Partial<ListQueryOf<R>> & { readonly resource: R }): ListQueryOf<R> {
  const query: ListQueryOf<R> = {
    filter: TRUE,
    sort: [{ key: 'id', dir: 'asc' }],
    page: { kind: 'keyset', limit: 20 },
    count: false,
    deleted: 'exclude',
    ...q,
  };
  return deepFreeze(query);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The result of running a list: records in order plus what the dialects render as meta. */
export interface ListResult<T> {
  records: T[];
  hasMoreAfter: boolean;
  hasMoreBefore: boolean;
  total?: number;
  /** Whether `total` is the planner's estimate rather than an exact count. */
  totalEstimated?: boolean;
  /** Sort values of the first and last record, for opaque cursors. */
  firstValues?: (string | number | null)[];
  lastValues?: (string | number | null)[];
  /** Ids of the first and last record, which cursors carry beside the sort values. */
  firstId?: string;
  lastId?: string;
}
