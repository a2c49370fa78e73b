import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { freePort, run, stop } from './support/processes.ts';

// The package as an operator gets it: the project's files as a fresh clone has them, built with
// `npm run build`, then run by the `roster` command with the production dependencies alone (no
// tsx, no TypeScript, no esbuild), so that nothing the server needs at run time is left behind
// in src/ or in a dev dependency.

const ROOT = join(import.meta.dirname, '..');

/** A copy of the files git would check out (tracked, and new ones not ignored). */
function cloneTree(to: string) {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files) {
    if (!existsSync(join(ROOT, f))) continue; // deleted in the working tree, not yet committed
    mkdirSync(dirname(join(to, f)), { recursive: true });
    cpSync(join(ROOT, f), join(to, f));
  }
}

/** node_modules holding the packages `npm ci --omit=dev` installs, linked from this checkout's. */
function productionModules(to: string) {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; optional?: boolean }> };
  mkdirSync(join(to, 'node_modules'), { recursive: true });
  for (const [path, meta] of Object.entries(lock.packages)) {
    // Top-level packages only: nested ones come inside their parent's folder.
    if (!path.startsWith('node_modules/') || path.slice('node_modules/'.length).includes('node_modules/') || meta.dev) continue;
    if (!existsSync(join(ROOT, path))) continue; // an optional package for another platform
    mkdirSync(dirname(join(to, path)), { recursive: true });
    symlinkSync(join(ROOT, path), join(to, path), 'dir');
  }
}

test('the build runs as plain JavaScript with production dependencies only', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-package-'));
  const app = join(dir, 'app');
  const data = join(dir, 'data');
  try {
    cloneTree(app);
    symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'), 'dir');
    const build = spawnSync(process.execPath, ['scripts/build.js'], { cwd: app, encoding: 'utf8' });
    assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}${build.stderr}`);

    const built = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? built(join(d, e.name)) : [join(d, e.name)]));
    const files = built(join(app, 'dist'));
    assert.deepEqual(
      files.filter((f) => /\.tsx?$/.test(f)),
      [],
      'no TypeScript in dist',
    );
    const tsImports = files.filter((f) => f.endsWith('.js') && /from ['"]\.{1,2}\/[^'"]*\.ts['"]/.test(readFileSync(f, 'utf8')));
    assert.deepEqual(tsImports, [], 'every relative import rewritten to .js');

    rmSync(join(app, 'node_modules'));
    productionModules(app);
    assert.ok(!existsSync(join(app, 'node_modules', 'tsx')) && !existsSync(join(app, 'node_modules', 'typescript')));

    const bin = join(app, 'bin', 'roster.js');
    const version = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    assert.equal(version.stdout.trim(), JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')).version, version.stderr);

    // What the server reads beside its modules: migrations and the schema manifest (a store
    // that opens and is ready), the dialects found by their plugin files, Dakota's OpenAPI
    // document, the console bundle.
    const port = await freePort();
    const server = run(bin, ['serve', '--port', String(port), '--data-dir', data, '--no-demo']);
    try {
      await server.waitFor(/API reference/);
      const base = `http://127.0.0.1:${port}`;
      const ready = await fetch(`${base}/ready`);
      assert.deepEqual([ready.status, await ready.json()], [200, { ready: true }]);
      for (const [prefix, path] of [
        ['/v1', '/v1/customers'],
        ['/dakota', '/dakota/customers'],
        ['/dintero/v1', '/dintero/v1/accounts/T00000001/customers/users'],
        ['/spirii', '/spirii/v2/customers'],
        ['/investifi/v1', '/investifi/v1/users/'],
      ]) {
        // Refused for want of a credential, by the dialect (an unknown route would be a 404).
        const res = await fetch(base + path);
        assert.ok([401, 403].includes(res.status), `${prefix} is served: ${res.status}`);
      }
      const spec = await fetch(`${base}/dakota/openapi.json`);
      assert.equal(spec.status, 200);
      assert.ok((await spec.json()).paths['/customers'], "Dakota's OpenAPI document");
      const script = await fetch(`${base}/console/assets/app.js`);
      assert.equal(script.status, 200);
      assert.ok((await script.text()).length > 10_000, 'the console bundle');
    } finally {
      await stop(server);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
