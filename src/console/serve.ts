import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { RosterError } from '../core/errors.ts';
import { asRosterError } from '../http/error-mapping.ts';
import { errorContext, sendErrorResponse } from '../http/surface-errors.ts';
import { renderConsoleError } from './surface.ts';

// The web console at /console: the files `npm install` built into dist/console (see
// scripts/build-console.js), served by the API's own process. Every other path under /console
// is the page itself, whose script reads the path, so a shared or reloaded URL opens its view.

const DIST = fileURLToPath(new URL('../../dist/console/', import.meta.url));
// A Map, not an object: a name from the URL must not find `valueOf` or `constructor` on a prototype.
const ASSETS = new Map([
  ['app.js', 'text/javascript; charset=utf-8'],
  ['styles.css', 'text/css; charset=utf-8'],
]);

// The console talks to this origin only and runs no inline script: a key typed into it cannot
// be sent elsewhere by injected markup.
const HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};

const MISSING = `<!doctype html><html lang="en"><title>Roster console not built</title><h1>The console is not built</h1>
<p>Run <code>npm run build:console</code> (<code>npm install</code> runs it), then reload.</p></html>`;

async function sendFile(reply: FastifyReply, name: string, type: string) {
  try {
    return reply
      .headers(HEADERS)
      .type(type)
      .send(await readFile(DIST + name));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    return reply.status(503).headers(HEADERS).type('text/html; charset=utf-8').send(MISSING);
  }
}

export async function consolePlugin(app: FastifyInstance) {
  app.setErrorHandler((error, req, reply) => sendErrorResponse(reply, renderConsoleError(asRosterError(error, req.log), errorContext(req))));
  const page = (_req: unknown, reply: FastifyReply) => sendFile(reply, 'index.html', 'text/html; charset=utf-8');
  app.get('/', { schema: { hide: true } }, page);
  app.get('/assets/:name', { schema: { hide: true } }, async (req, reply) => {
    const name = (req.params as { name: string }).name;
    const type = ASSETS.get(name);
    if (!type) return sendErrorResponse(reply, renderConsoleError(new RosterError('not_found', `No file ${name} in the console`)));
    return sendFile(reply, name, type);
  });
  app.get('/*', { schema: { hide: true } }, page);
}
