import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import type { RosterError } from '../core/errors.ts';
import type { KeyResolver } from '../http/auth.ts';
import type { RateLimiter } from '../http/rate-limiter.ts';
import type { Db } from '../store/db.ts';

/** What every API surface gets: the store, the shared API-key resolver and rate limiter. */
export interface DialectOptions {
  db: Db;
  keys: KeyResolver;
  limiter: RateLimiter;
}

/** What an error response is made of, whoever sends it (a route, or the server before routing). */
export interface ErrorContext {
  method: string;
  /** The request's path, without its query string. */
  path: string;
  requestId: string;
  /** `http://host` as the client addressed the server. */
  origin: string;
}

export interface ErrorResponse {
  status: number;
  contentType: string;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * Whatever the server serves under a prefix of its own: its name, the prefix, and how it renders
 * an error, which the server also uses for errors met before any route is found (a bad URL, a
 * path parameter too long, headers too large), so every error under a prefix is in that
 * surface's shape. The API dialects are surfaces; so are the console and the onboarding pages,
 * whose errors are pages for people.
 */
export interface Surface {
  name: string;
  prefix: string;
  renderError(err: RosterError, ctx: ErrorContext): ErrorResponse;
}

/** A dialect folder exports `dialect` from its plugin.ts: a surface and the Fastify plugin that serves it. */
export interface Dialect extends Surface {
  plugin: FastifyPluginAsync<DialectOptions>;
  /**
   * What stands in front of the vendor's own paths in Roster's: on an origin of its own the
   * dialect serves the vendor's paths at `/` (Dintero's `/v1/accounts/…` is Roster's
   * `/dintero/v1/accounts/…`: root `/dintero`). The prefix when absent.
   */
  originRoot?: string;
  /**
   * The dialect's own OpenAPI document, its paths as the vendor writes them (under the prefix):
   * served at <root>/openapi.json with a reference page at <root>/docs (src/http/references.ts),
   * which add the server.
   */
  openapi?: Record<string, unknown>;
}

const DIR = fileURLToPath(new URL('.', import.meta.url));
/** `plugin.ts` when running from the sources, `plugin.js` in the build (dist/). */
const PLUGIN = `plugin${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`;

/** Every dialect folder under src/dialects, mounted under its own prefix. */
export async function loadDialects(): Promise<Dialect[]> {
  const names = readdirSync(DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(`${DIR}${d.name}/${PLUGIN}`))
    .map((d) => d.name)
    .sort();
  const out: Dialect[] = [];
  for (const name of names) {
    const mod = (await import(`./${name}/${PLUGIN}`)) as { dialect?: Dialect };
    if (mod.dialect) out.push(mod.dialect);
  }
  return out;
}
