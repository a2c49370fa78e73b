import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

// The first-start experience, as a newcomer meets it: the real CLI, the real embedded store.

const BIN = join(import.meta.dirname, '..', 'scripts', 'roster-dev.js');

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

function serve(dataDir: string, port: number): Promise<{ proc: ChildProcess; output: () => string }> {
  const proc = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--data-dir', dataDir, '--demo-customers', '300'], { env: { ...process.env, DATABASE_URL: '', ROSTER_LOG: 'off' } });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 120_000);
    proc.stdout!.on('data', () => {
      if (out.includes('API reference:')) {
        clearTimeout(timer);
        resolve({ proc, output: () => out });
      }
    });
    proc.on('exit', (code) => reject(new Error(`server exited ${code}:\n${out}`)));
  });
}

const stop = (proc: ChildProcess) =>
  new Promise<void>((resolve) => {
    proc.removeAllListeners('exit');
    proc.on('exit', () => resolve());
    proc.kill('SIGTERM');
  });

const cli = (args: string[], dataDir: string) => spawnSync(process.execPath, [BIN, ...args, '--data-dir', dataDir], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });

test('first start creates a demo account and prints a curl line that works; later starts reuse the data', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-cli-'));
  try {
    const port = await freePort();
    const first = await serve(dir, port);
    const out = first.output();
    const curl = /curl -s '([^']+)' -H 'Authorization: Bearer ([^']+)'/.exec(out);
    assert.ok(curl, `a curl line is printed:\n${out}`);
    const res = await fetch(curl[1], { headers: { authorization: `Bearer ${curl[2]}` } });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.data.length, 3);

    // While the server holds the embedded store, commands that need the store itself refuse clearly.
    const busy = cli(['seed', '--account', 'T00000042', '--customers', '1'], dir);
    assert.notEqual(busy.status, 0);
    assert.match(busy.stderr, /in use by roster serve/);
    await stop(first.proc);

    const created = cli(['account', 'create', '--name', 'Second', '--json'], dir);
    assert.equal(created.status, 0, created.stderr);
    const account = JSON.parse(created.stdout);
    for (const k of ['account_id', 'api_key', 'client_id', 'client_secret']) assert.ok(account[k], k);
    assert.match(account.account_id, /^T\d{8}$/);

    const again = await serve(dir, port);
    assert.doesNotMatch(again.output(), /Demo account/, 'the demo is created once');
    const list = await fetch(`http://127.0.0.1:${port}/v1/customers?count=true&limit=1`, { headers: { authorization: `Bearer ${curl[2]}` } });
    assert.equal((await list.json()).total_count > 250, true, 'the demo data is still there');
    const fresh = await fetch(`http://127.0.0.1:${port}/v1/customers?count=true`, { headers: { 'x-api-key': account.api_key } });
    assert.equal((await fresh.json()).total_count, 0, 'a new account starts empty');
    await stop(again.proc);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
