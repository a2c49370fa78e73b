import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import postgres from 'postgres';

// The real `roster` command as an operator runs it: a server process, and CLI commands beside it.

export const BIN = join(import.meta.dirname, '..', '..', 'scripts', 'roster-dev.js');

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

export interface RosterServer {
  proc: ChildProcess;
  base: string;
  output(): string;
  stop(): Promise<void>;
}

/** `roster serve` on a free port; resolves once it prints its reference line. */
export async function startServe(env: Record<string, string>, args: string[] = []): Promise<RosterServer> {
  const port = await freePort();
  const proc = spawn(process.execPath, [BIN, 'serve', '--port', String(port), ...args], { env: { ...process.env, ROSTER_LOG: 'off', ...env } });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 120_000);
    proc.stdout!.on('data', () => {
      if (out.includes('API reference:')) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.on('exit', (code) => reject(new Error(`server exited ${code}:\n${out}`)));
  });
  return {
    proc,
    base: `http://127.0.0.1:${port}`,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        proc.removeAllListeners('exit');
        if (proc.exitCode !== null) return resolve();
        proc.on('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

export function roster(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}

/** A fresh database on the test server, dropped by the returned function. */
export async function freshDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `roster_cli_${randomBytes(6).toString('hex')}`;
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await sql.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await sql.end();
    },
  };
}
