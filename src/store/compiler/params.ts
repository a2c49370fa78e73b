import type { Scalar } from '../../core/list-query.ts';
import type { SqlType } from './resource-def.ts';

/** A field's SQL type, and whether it compares case-insensitively (see `FieldDef`). */
export interface Typed {
  type: SqlType;
  ci?: boolean;
}

/** The parameters of one statement, numbered in the order the statement's text names them. */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown, type: SqlType | `${SqlType}[]`): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }

  /** A value compared with a field: lower-cased where the field is. */
  value(f: Typed, v: Scalar): string {
    return this.add(f.ci && typeof v === 'string' ? v.toLowerCase() : v, f.type);
  }

  /**
   * An array parameter of the field's type. Booleans go in as text and are cast in SQL:
   * postgres.js declares an array of booleans as a single boolean, and once it knows the
   * parameter is boolean[] it sends any string in it as false.
   */
  array(f: Typed, values: readonly Scalar[]): string {
    if (f.type === 'boolean') return `${this.add(values.map(String), 'text[]')}::boolean[]`;
    return this.add(
      values.map((v) => (f.ci && typeof v === 'string' ? v.toLowerCase() : v)),
      `${f.type}[]`,
    );
  }
}

/**
 * A value the planner is not shown, for a value no plan depends on: a filter's that no index can
 * serve (a column in no index, a test under NOT) or that only bounds the walk of the order's own
 * index (filter.ts), or an offset, which the same walk skips (page.ts). PostgreSQL prices a
 * prepared statement's generic plan with default shares for its parameters; where those make
 * the same plan look dearer than the custom plans priced with the values, it plans the
 * statement again at every execution, which cost a filtered page more than running it
 * (BENCHMARKS.md, "Planned once"). Behind a scalar subquery the value is a parameter to the
 * custom plans too: both are priced alike, and the statement is planned once. Values that
 * choose between indexes stay in sight.
 */
export const unplanned = (value: string) => `(SELECT ${value})`;
