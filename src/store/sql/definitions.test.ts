import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STORES, openTestStore, type TestStore } from '../../../test/support/stores.ts';
import { definitionFiles } from '../migrate.ts';
import { countKeysFiles } from './count-keys.ts';
import { eventTriggerFiles } from './event-triggers.ts';

// One current definition per function and trigger, each in a file of its own here; migrations
// hold schema and data changes only; the counting functions are made from the one list of
// counted fields.

const MIGRATIONS = fileURLToPath(new URL('../migrations/', import.meta.url));
const FUNCTIONS = fileURLToPath(new URL('./functions/', import.meta.url));
const TRIGGERS = fileURLToPath(new URL('./triggers/', import.meta.url));
const files = definitionFiles().map((path) => ({ path, name: basename(path), text: readFileSync(path, 'utf8') }));
const defines = (text: string, what: 'FUNCTION' | 'TRIGGER', name: string) => new RegExp(`^CREATE OR REPLACE ${what} ${name}\\b`, 'm').test(text);

test('a migration changes schema and data, and defines no function or trigger', () => {
  for (const file of readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql'))) {
    const text = readFileSync(join(MIGRATIONS, file), 'utf8').replace(/^\s*--.*$/gm, '');
    assert.doesNotMatch(text, /\b(CREATE|ALTER)\s+(OR\s+REPLACE\s+)?(FUNCTION|TRIGGER|PROCEDURE)\b/i, `${file} defines what belongs in src/store/sql/`);
  }
});

test('a definition file defines what it is named after, and nothing is defined twice', () => {
  const seen = new Map<string, string>();
  for (const f of files) {
    const fn = f.name.replace(/\.sql$/, '');
    assert.ok(defines(f.text, 'FUNCTION', fn), `${f.name} defines ${fn}`);
    for (const m of f.text.matchAll(/^CREATE (?:OR REPLACE )?(FUNCTION|TRIGGER) (\w+)/gm)) {
      assert.match(m[0], /OR REPLACE/, `${f.name}: ${m[0]} must be CREATE OR REPLACE, to apply again`);
      const key = `${m[1]} ${m[2]}`;
      assert.ok(!seen.has(key), `${key} is defined in ${seen.get(key)} and ${f.name}`);
      seen.set(key, f.name);
    }
    // A trigger file holds the function its triggers run, and every trigger of it.
    if (f.path.includes('/triggers/')) assert.match(f.text, new RegExp(`^CREATE OR REPLACE TRIGGER \\w+ [^;]* EXECUTE FUNCTION ${fn}\\(`, 'm'));
  }
});

/** Each made file is what its maker makes now (`npm run golden` writes it). */
function made(folder: string, files: { file: string; text: string }[], from: string) {
  for (const { file, text } of files) {
    const path = join(folder, file);
    if (process.env.ROSTER_UPDATE_GOLDEN === '1') writeFileSync(path, text);
    assert.ok(existsSync(path), `${file} is missing: run npm run golden`);
    assert.equal(readFileSync(path, 'utf8'), text, `${file} differs from ${from}: run npm run golden`);
  }
}

test('the counting functions are made from the counted fields in resources.ts', () => {
  made(FUNCTIONS, countKeysFiles(), 'the counted fields in resources.ts');
});

test("the outbox's triggers are made from the list in event-triggers.ts", () => {
  made(TRIGGERS, eventTriggerFiles(), 'OUTBOXES in event-triggers.ts');
});

for (const kind of STORES) {
  describe(`definitions in a migrated store (${kind})`, () => {
    let s: TestStore;
    before(async () => {
      s = await openTestStore(kind);
    });
    after(() => s.close());

    test('every function and trigger the store has is defined in exactly one file, and every file is applied', async () => {
      const functions = await s.db.query<{ name: string }>(
        `SELECT p.proname AS name FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace
            AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')`,
      );
      const triggers = await s.db.query<{ name: string }>(`SELECT tgname AS name FROM pg_trigger WHERE NOT tgisinternal`);
      for (const { name } of functions) assert.equal(files.filter((f) => defines(f.text, 'FUNCTION', name)).length, 1, `function ${name}`);
      for (const { name } of triggers) assert.equal(files.filter((f) => defines(f.text, 'TRIGGER', name)).length, 1, `trigger ${name}`);
      const defined = files.flatMap((f) => [...f.text.matchAll(/^CREATE OR REPLACE (FUNCTION|TRIGGER) (\w+)/gm)].map((m) => `${m[1]} ${m[2]}`));
      assert.deepEqual(defined.sort(), [...functions.map((f) => `FUNCTION ${f.name}`), ...triggers.map((t) => `TRIGGER ${t.name}`)].sort());
      const applied = await s.db.query<{ name: string }>(`SELECT name FROM schema_definitions ORDER BY name`);
      assert.deepEqual(applied.map((r) => basename(r.name)).sort(), files.map((f) => f.name).sort());
    });
  });
}
