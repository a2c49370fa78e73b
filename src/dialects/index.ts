import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import type { KeyResolver } from '../http/auth.ts';
import type { Db } from '../store/db.ts';

/** What every API surface gets: the store and the shared API-key resolver. */
export interface DialectOptions {
  db: Db;
  keys: KeyResolver;
}

/** A dialect folder exports `dialect` from its plugin.ts: a Fastify plugin and its mount prefix. */
export interface Dialect {
  name: string;
  prefix: string;
  plugin: FastifyPluginAsync<DialectOptions>;
}

const DIR = fileURLToPath(new URL('.', import.meta.url));

/** Every dialect folder under src/dialects, mounted under its own prefix. */
export async function loadDialects(): Promise<Dialect[]> {
  const names = readdirSync(DIR, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(`${DIR}${d.name}/plugin.ts`)).map((d) => d.name).sort();
  const out: Dialect[] = [];
  for (const name of names) {
    const mod = (await import(`./${name}/plugin.ts`)) as { dialect?: Dialect };
    if (mod.dialect) out.push(mod.dialect);
  }
  return out;
}
