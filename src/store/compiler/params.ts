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
