import type { AnyResourceDef } from './resource-def.ts';

// Record columns are built by Postgres from the row aliased `c`, as resources.ts lists them.

/**
 * Record select lists per resource, built once per declared field list (each dialect declares
 * its own as a constant) or once for all fields: a list request should not rebuild them.
 */
const selectLists = new WeakMap<object, WeakMap<object, string>>();

/** The select items of the named fields of a record of `def` (all of them without names). */
export function selectItems(def: AnyResourceDef, fields: readonly string[] | undefined): string {
  const wanted = fields ?? def.record;
  let lists = selectLists.get(def.record);
  if (!lists) selectLists.set(def.record, (lists = new WeakMap()));
  let items = lists.get(wanted);
  if (items === undefined) {
    const names = fields ?? Object.keys(def.record);
    for (const name of names) if (!(name in def.record)) throw new Error(`${def.table} records have no field ${name}`);
    items = Object.entries(def.record)
      .filter(([name]) => names.includes(name))
      .map(([name, sql]) => (sql === `c.${name}` ? sql : `${sql} AS ${name}`))
      .join(', ');
    lists.set(wanted, items);
  }
  return items;
}
