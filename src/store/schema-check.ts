import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db, Queryable } from './db.ts';

// What the migrations define, checked on every start. Every unique index, constraint, index
// and trigger the migrations leave behind is listed in schema-manifest.json (made from a fresh
// store, and checked against one by schema-check.test.ts). A store that lacks one of them, or
// holds an index a failed build left invalid, or a trigger someone disabled, is repaired from
// the manifest before Roster serves; if a repair fails (records that break a unique index
// that went missing) Roster refuses to serve and says why. It never serves without them.

export interface SchemaObject {
  kind: 'constraint' | 'index' | 'trigger';
  table: string;
  name: string;
  /** The statement's body that makes it again: a constraint's definition, an index's or a trigger's CREATE. */
  def: string;
}

const MANIFEST = fileURLToPath(new URL('./schema-manifest.json', import.meta.url));

/** Constraints that carry data rules (not the NOT NULLs PostgreSQL 18 lists too), indexes not behind one, user triggers. */
const OBJECTS = `
  SELECT 'constraint' AS kind, c.conrelid::regclass::text AS "table", c.conname AS name, pg_get_constraintdef(c.oid) AS def,
         true AS valid, CASE c.contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 WHEN 'x' THEN 1 WHEN 'c' THEN 2 ELSE 3 END AS rank
    FROM pg_constraint c
   WHERE c.connamespace = current_schema()::regnamespace AND c.contype IN ('p', 'u', 'f', 'c', 'x') AND c.conrelid <> 0
  UNION ALL
  SELECT 'index', t.relname::text, i.relname::text, pg_get_indexdef(i.oid), x.indisvalid AND x.indisready, 4
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
   WHERE t.relnamespace = current_schema()::regnamespace
     AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid AND c.conrelid = t.oid AND c.contype IN ('p', 'u', 'x'))
  UNION ALL
  SELECT 'trigger', g.tgrelid::regclass::text, g.tgname::text, pg_get_triggerdef(g.oid), g.tgenabled <> 'D', 5
    FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid
   WHERE NOT g.tgisinternal AND t.relnamespace = current_schema()::regnamespace
   ORDER BY 6, 2, 3`;

interface Found extends SchemaObject {
  valid: boolean;
  rank: number;
}

/** The store's constraints, indexes and triggers as they are. */
export async function schemaObjects(db: Queryable): Promise<SchemaObject[]> {
  const rows = await db.query<Found>(OBJECTS);
  return rows.map(({ kind, table, name, def }) => ({ kind, table, name, def }));
}

export function readManifest(): SchemaObject[] {
  return JSON.parse(readFileSync(MANIFEST, 'utf8'));
}

export function writeManifest(objects: SchemaObject[]) {
  writeFileSync(MANIFEST, JSON.stringify(objects, null, 1) + '\n');
}

export interface SchemaReport {
  /** What was missing, invalid or disabled, as `kind name`. */
  problems: string[];
  /** What was put right. */
  repaired: string[];
}

export class SchemaError extends Error {}

/**
 * Compares the store with the manifest and, with `repair`, puts back what is missing, rebuilds
 * what is invalid and enables what was disabled. Throws a SchemaError naming what it could not
 * repair.
 */
export async function checkSchema(db: Db, opts: { repair: boolean }): Promise<SchemaReport> {
  const expected = readManifest();
  const found = new Map((await db.query<Found>(OBJECTS)).map((o) => [`${o.kind} ${o.name}`, o]));
  const report: SchemaReport = { problems: [], repaired: [] };
  const failures: string[] = [];
  for (const want of expected) {
    const id = `${want.kind} ${want.name}`;
    const have = found.get(id);
    if (have?.valid) continue;
    report.problems.push(`${id} ${have ? (want.kind === 'trigger' ? 'is disabled' : 'is invalid') : 'is missing'}`);
    if (!opts.repair) continue;
    try {
      await db.transaction(async (tx) => {
        // One repairer at a time when several processes start against one server; what another
        // one repaired while this one waited is left alone.
        await tx.query('SELECT pg_advisory_xact_lock(7264001)');
        const now = (await tx.query<Found>(OBJECTS)).find((o) => o.kind === want.kind && o.name === want.name);
        if (now?.valid) return;
        await tx.query(repairStatement(want, now));
      });
      report.repaired.push(id);
    } catch (e) {
      const err = e as { message?: string; detail?: string };
      failures.push(`${id} on ${want.table}: ${err.message ?? e}${err.detail ? ` (${err.detail})` : ''}`);
    }
  }
  if (failures.length) {
    throw new SchemaError(
      `The store is missing what its migrations define and it could not be rebuilt:\n  ${failures.join('\n  ')}\n` +
        'Roster does not serve without its constraints. Put right the records that break them, then start again.',
    );
  }
  return report;
}

function repairStatement(want: SchemaObject, have: Found | undefined): string {
  const table = quoteTable(want.table);
  if (want.kind === 'constraint') return `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(want.name)} ${want.def}`;
  if (want.kind === 'index') return have ? `REINDEX INDEX ${quoteIdent(want.name)}` : want.def;
  return have ? `ALTER TABLE ${table} ENABLE TRIGGER ${quoteIdent(want.name)}` : want.def;
}

const quoteIdent = (name: string) => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);
const quoteTable = (name: string) => name.split('.').map(quoteIdent).join('.');
