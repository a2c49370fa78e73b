import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db, Queryable } from './db.ts';

// The schema is two kinds of file. Numbered migrations (migrations/) change tables, indexes,
// grants and data, once each, in order; an applied one is history, and a checksum of it, kept
// per database, makes sure it stays so. Functions and triggers have one current definition
// each, a file of CREATE OR REPLACE statements (sql/functions/, and sql/triggers/ where a
// trigger function sits with its triggers), applied whenever the database has not had its text:
// after the pending migrations, or where a migration includes it with `\ir file` (as psql
// does) because it needs it while it runs: 001 needs roster_kyc_status for a generated column,
// 096 the current roster_recount to count every account again.

const STORE = fileURLToPath(new URL('./', import.meta.url));
const MIGRATIONS = join(STORE, 'migrations');
const DEFINITIONS = join(STORE, 'sql');
/** Serializes migrators (and schema repairs) when several processes start against one server. */
const LOCK = 'SELECT pg_advisory_xact_lock(7264001)';

/** The database holds a migration other than this build's file: Roster does not start on it. */
export class MigrationError extends Error {}

/** One step of a file: a statement, or a definition file it includes (an absolute path). */
export type Step = { sql: string } | { include: string };

interface SqlFile {
  /** Its path below src/store/, as errors and schema_definitions name it. */
  name: string;
  steps: Step[];
  /** Of its statements and includes, not its comments: correcting a comment changes nothing. */
  checksum: string;
}

function readSqlFile(path: string): SqlFile {
  const text = readFileSync(path, 'utf8');
  const steps = parseSteps(text).map((s) => ('include' in s ? { include: resolve(dirname(path), s.include) } : s));
  return { name: relative(STORE, path), steps, checksum: sqlChecksum(text) };
}

/** The checksum of a file's statements and includes as written, not of its comments or blank lines. */
export function sqlChecksum(text: string): string {
  const steps = parseSteps(text).map((s) => ('sql' in s ? s.sql : `\\ir ${s.include}`));
  return createHash('sha256').update(steps.join('\n')).digest('hex');
}

const migrationFiles = () =>
  readdirSync(MIGRATIONS)
    .filter((f) => /^\d+-.*\.sql$/.test(f))
    .sort();
const versionOf = (file: string) => Number.parseInt(file, 10);

/** Every definition file: functions first, then triggers, which name their functions. */
export function definitionFiles(): string[] {
  return ['functions', 'triggers'].flatMap((dir) =>
    readdirSync(join(DEFINITIONS, dir))
      .filter((f) => f.endsWith('.sql'))
      .sort()
      .map((f) => join(DEFINITIONS, dir, f)),
  );
}

/**
 * Brings the database up to this build: refuses it if an applied migration has changed, applies
 * the pending ones, each in its own transaction, then every definition new to it. Returns the
 * versions applied.
 */
export async function migrate(db: Db): Promise<number[]> {
  // Under the lock, in the one transaction of this multi-statement query: CREATE TABLE IF NOT
  // EXISTS is not safe against itself, and two processes making the tables of an empty database
  // at once could both pass the check, the second failing on pg_type's unique index.
  await db.exec(`${LOCK};
    CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
    ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text;
    CREATE TABLE IF NOT EXISTS schema_definitions (name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const files = migrationFiles().map((f) => ({ version: versionOf(f), file: readSqlFile(join(MIGRATIONS, f)) }));
  const pending = await db.transaction(async (tx) => {
    await tx.query(LOCK);
    return checkApplied(tx, files);
  });
  const applied: number[] = [];
  for (const { version, file } of pending) {
    await db.transaction(async (tx) => {
      await tx.query(LOCK);
      if ((await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [version])).length > 0) return;
      await run(tx, file, await Definitions.of(tx));
      await tx.query('INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)', [version, file.checksum]);
      applied.push(version);
    });
  }
  await db.transaction(async (tx) => {
    await tx.query(LOCK);
    const definitions = await Definitions.of(tx);
    for (const path of definitionFiles()) await definitions.ensure(path);
  });
  return applied;
}

/**
 * Refuses a migration changed since this database applied it, naming the file, and returns the
 * ones still to apply. A database from before checksums were kept has none: it takes those of
 * the files as they are, on its first start with this build. (Migration 045 had a comment
 * rewritten after it was applied: comments are not in the checksum, so it cannot lock anyone out.)
 */
async function checkApplied(tx: Queryable, files: { version: number; file: SqlFile }[]) {
  const rows = await tx.query<{ version: number; checksum: string | null }>('SELECT version, checksum FROM schema_migrations');
  const recorded = new Map(rows.map((r) => [Number(r.version), r.checksum]));
  for (const { version, file } of files) {
    const sum = recorded.get(version);
    if (sum === null) await tx.query('UPDATE schema_migrations SET checksum = $2 WHERE version = $1', [version, file.checksum]);
    else if (sum !== undefined && sum !== file.checksum) {
      throw new MigrationError(
        `Migration ${file.name} has changed since this database applied it. An applied migration is history: put the file back as it was ` +
          'and make the change in a new migration (a function or trigger changes in its own file under src/store/sql/).',
      );
    }
  }
  return files.filter((f) => !recorded.has(f.version));
}

/** The definitions of one transaction: each applied at most once, and only when its text is new to the database. */
class Definitions {
  private readonly seen = new Set<string>();
  private constructor(
    private readonly tx: Queryable,
    private readonly recorded: Map<string, string>,
  ) {}

  static async of(tx: Queryable): Promise<Definitions> {
    const rows = await tx.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_definitions');
    return new Definitions(tx, new Map(rows.map((r) => [r.name, r.checksum])));
  }

  async ensure(path: string): Promise<void> {
    if (this.seen.has(path)) return;
    this.seen.add(path);
    const file = readSqlFile(path);
    if (this.recorded.get(file.name) === file.checksum) return;
    await run(this.tx, file, this);
    await this.tx.query('INSERT INTO schema_definitions (name, checksum) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET checksum = excluded.checksum, applied_at = now()', [
      file.name,
      file.checksum,
    ]);
  }
}

/** A file's statements in order, each definition it includes made current where it stands. */
async function run(tx: Queryable, file: SqlFile, definitions: Definitions) {
  for (const step of file.steps) {
    if ('include' in step) await definitions.ensure(step.include);
    else await tx.query(step.sql);
  }
}

/** Migrations present in this build that the database has not applied (empty when current). */
export async function pendingMigrations(db: Db): Promise<number[]> {
  const rows = await db.query<{ version: number }>('SELECT version FROM schema_migrations');
  const applied = new Set(rows.map((r) => Number(r.version)));
  return migrationFiles()
    .map(versionOf)
    .filter((v) => !applied.has(v));
}

/** A file's steps: its statements, dollar-quoted bodies kept whole, and its `\ir` includes in place. */
export function parseSteps(sql: string): Step[] {
  return splitStatements(sql).map((s) => (s.startsWith('\\ir ') ? { include: s.slice(4).trim() } : { sql: s }));
}

/** Splits a file into statements, keeping dollar-quoted bodies whole; a `\` meta-command line stands alone. */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let current = '';
  let inDollar = false;
  for (const line of sql.split('\n')) {
    const trimmed = line.trim();
    if (!inDollar && (trimmed.startsWith('--') || trimmed === '')) continue;
    if (!inDollar && trimmed.startsWith('\\')) {
      if (current.trim()) throw new Error(`a meta-command inside a statement: ${trimmed}`);
      if (!/^\\ir\s+\S+$/.test(trimmed)) throw new Error(`only \\ir is understood here: ${trimmed}`);
      out.push(trimmed.replace(/\s+/, ' '));
      continue;
    }
    current += line + '\n';
    const dollars = (line.match(/\$\$/g) ?? []).length;
    if (dollars % 2 === 1) inDollar = !inDollar;
    if (!inDollar && trimmed.endsWith(';')) {
      out.push(current.trim());
      current = '';
    }
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
