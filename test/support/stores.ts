import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import type { FastifyInstance } from 'fastify';
import { openPglite } from '../../src/store/pglite-driver.ts';
import { openPostgres } from '../../src/store/postgres-driver.ts';
import { migrate } from '../../src/store/migrate.ts';
import type { Db } from '../../src/store/db.ts';
import { buildApp, type AppOptions } from '../../src/http/app.ts';
import { createAccount, type NewAccount } from '../../src/store/accounts-repo.ts';

// Every integration test runs once per store: the embedded PGlite and a real PostgreSQL
// (ROSTER_TEST_DATABASE_URL, set by `npm test`), each in a fresh database of its own.

export type StoreKind = 'pglite' | 'postgres';
export const STORES: StoreKind[] = process.env.ROSTER_TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestStore {
  kind: StoreKind;
  db: Db;
  close(): Promise<void>;
}

/** An empty database of its own on the test cluster, for a test that hands its URL to a child process. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = process.env.ROSTER_TEST_DATABASE_URL!;
  const name = `roster_test_${randomBytes(6).toString('hex')}`;
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  await sql.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await sql.end();
    },
  };
}

export async function openTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'pglite') {
    const db = await openPglite();
    await migrate(db).catch(async (e) => {
      await db.close();
      throw e;
    });
    return { kind, db, close: () => db.close() };
  }
  const database = await createTestDatabase();
  const db = openPostgres(database.url);
  // A migration that fails fails the test, rather than leaving a pool open that keeps it running.
  await migrate(db).catch(async (e) => {
    await db.close();
    await database.drop();
    throw e;
  });
  return {
    kind,
    db,
    async close() {
      await db.close();
      await database.drop();
    },
  };
}

export interface TestServer extends TestStore {
  app: FastifyInstance;
  /** Base URL of the server listening on a loopback port: tests go through real HTTP. */
  base: string;
  account: NewAccount;
}

export async function startTestServer(kind: StoreKind, opts: Partial<Pick<AppOptions, 'onRoute' | 'logger' | 'metrics'>> = {}): Promise<TestServer> {
  const store = await openTestStore(kind);
  const app = await buildApp({ db: store.db, logger: process.env.ROSTER_TEST_LOG === '1', ...opts });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const account = await createAccount(store.db, 'Test', 'test');
  return {
    ...store,
    app,
    base,
    account,
    async close() {
      await app.close();
      await store.close();
    },
  };
}

/** A small fetch wrapper: JSON in, status + headers + parsed body out. */
export async function call(base: string, method: string, path: string, opts: { key?: string; headers?: Record<string, string>; body?: unknown } = {}) {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, body };
}
