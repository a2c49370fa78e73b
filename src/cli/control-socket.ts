import { createServer, request, type Server } from 'node:http';
import { chmodSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RosterError } from '../core/errors.ts';
import { OP_NAMES, type AdminOps, type OpName } from './admin-ops.ts';

// The embedded store is one process's: while `roster serve` holds it, the operator's commands
// reach it through the server instead. The server listens on a unix domain socket in the data
// directory, mode 0600, so only the user who could open the store's files anyway may use it; it
// answers nothing but the AdminOps calls, as JSON over HTTP: POST /<op> with the arguments array.

const SOCKET = 'control.sock';
/** Unix socket paths are limited to about 107 bytes. */
const MAX_PATH = 100;

export const controlSocketPath = (dataDir: string) => join(dataDir, SOCKET);

export async function serveControl(dataDir: string, ops: AdminOps): Promise<{ close(): Promise<void> } | { skipped: string }> {
  const path = controlSocketPath(dataDir);
  if (Buffer.byteLength(path) > MAX_PATH) return { skipped: `the data directory's path is too long for a control socket (${path})` };
  // The caller holds the store's lock, so a socket file left here is a crashed server's.
  rmSync(path, { force: true });
  const server: Server = createServer(async (req, res) => {
    const op = (req.url ?? '').slice(1) as OpName;
    let text = '';
    for await (const chunk of req) text += chunk;
    const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method !== 'POST' || !OP_NAMES.includes(op)) return reply(404, { error: `no operation ${op}` });
    try {
      const args = JSON.parse(text || '[]') as unknown[];
      reply(200, { result: await (ops[op] as (...a: unknown[]) => Promise<unknown>)(...args) });
    } catch (e) {
      reply(e instanceof RosterError ? e.status : 500, { error: (e as Error).message });
    }
  });
  const old = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(path, () => resolve()));
  } finally {
    process.umask(old);
  }
  chmodSync(path, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          rmSync(path, { force: true });
          resolve();
        }),
      ),
  };
}

function call(path: string, op: OpName, args: unknown[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: path, method: 'POST', path: `/${op}`, headers: { 'content-type': 'application/json' } }, async (res) => {
      let text = '';
      for await (const chunk of res) text += chunk;
      const body = JSON.parse(text) as { result?: unknown; error?: string };
      if (res.statusCode === 200) resolve(body.result);
      else reject(new Error(body.error ?? `control socket answered ${res.statusCode}`));
    });
    req.on('error', reject);
    req.end(JSON.stringify(args));
  });
}

/** The AdminOps of the server listening in `dataDir`, or undefined when none answers there. */
export async function socketOps(dataDir: string): Promise<AdminOps | undefined> {
  const path = controlSocketPath(dataDir);
  if (!existsSync(path)) return undefined;
  try {
    await call(path, 'listAccounts', []);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED' || code === 'ENOENT') return undefined;
    throw e;
  }
  return Object.fromEntries(OP_NAMES.map((op) => [op, (...args: unknown[]) => call(path, op, args)])) as unknown as AdminOps;
}
