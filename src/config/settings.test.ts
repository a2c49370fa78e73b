import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadSettings, SETTINGS, SettingsError } from './settings.ts';

const ROOT = join(import.meta.dirname, '..', '..');

test('with nothing set, every setting has its documented default', () => {
  const s = loadSettings({});
  assert.deepEqual(
    {
      port: s.port,
      host: s.host,
      dataDir: s.dataDir,
      databaseUrl: s.databaseUrl,
      replicaUrls: s.replicaUrls,
      pooler: s.pooler,
      prepare: s.prepare,
      logLevel: s.logLevel,
      demo: s.demo,
      metrics: s.metrics,
    },
    { port: 8080, host: '127.0.0.1', dataDir: './.roster', databaseUrl: undefined, replicaUrls: [], pooler: 'none', prepare: true, logLevel: 'info', demo: true, metrics: true },
  );
});

test('values are parsed: lists, switches, the ROSTER_LOG alias, prepared statements off behind a pooler', () => {
  const s = loadSettings({
    DATABASE_URL: 'postgres://roster@db/roster',
    DATABASE_REPLICA_URLS: ' postgres://a/roster, postgresql://b/roster ,',
    ROSTER_PG_POOLER: 'transaction',
    ROSTER_LOG: 'off',
    LOG_LEVEL: 'debug',
    ROSTER_PUBLIC_URL: 'https://roster.example.com/',
  });
  assert.deepEqual(s.replicaUrls, ['postgres://a/roster', 'postgresql://b/roster']);
  assert.equal(s.prepare, false);
  assert.equal(s.logLevel, 'silent');
  assert.equal(s.publicUrl, 'https://roster.example.com');
  assert.equal(loadSettings({ ROSTER_PG_POOLER: 'transaction', ROSTER_PG_PREPARE: 'on' }).prepare, true);
});

test('every bad value is named at once, with what is accepted, and no password is repeated', () => {
  let err: unknown;
  try {
    loadSettings({ PORT: '80a', DATABASE_URL: 'mysql://u:hunter2@db/x', LOG_LEVEL: 'loud', ROSTER_RATE_LIMIT: '0', ROSTER_REPLICA_MAX_LAG: '-1', ROSTER_DEMO: 'yes' });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof SettingsError);
  const message = (err as Error).message;
  for (const expected of [
    'PORT="80a" must be a whole number from 0 to 65535',
    'DATABASE_URL="mysql://u:***@db/x" must start with postgres:// or postgresql://',
    'LOG_LEVEL="loud" must be one of fatal, error, warn, info, debug, trace, silent',
    'ROSTER_RATE_LIMIT="0" must be a whole number from 1 to 1000000000',
    'ROSTER_REPLICA_MAX_LAG="-1" must be a whole number',
    'ROSTER_DEMO="yes" must be one of on, off',
  ]) {
    assert.ok(message.includes(expected), `${expected}\nin\n${message}`);
  }
  assert.ok(!message.includes('hunter2'));
  assert.throws(() => loadSettings({ DATABASE_REPLICA_URLS: 'postgres://standby/roster' }), /DATABASE_REPLICA_URLS needs DATABASE_URL/);
});

test('the command refuses to start on a bad setting, naming it', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'roster-dev.js'), 'serve', '--no-demo'], {
    encoding: 'utf8',
    env: { ...process.env, PORT: 'eighty', ROSTER_DATA_DIR: '/nonexistent/never-created' },
  });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /roster: bad settings in the environment:\n {2}PORT="eighty" must be a whole number/);
});

test('the README table and .env.example list every setting', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
  for (const s of SETTINGS) {
    assert.match(readme, new RegExp(`^\\| \`${s.name}\` \\|`, 'm'), `README row for ${s.name}`);
    assert.match(example, new RegExp(`^#? ?${s.name}=`, 'm'), `.env.example line for ${s.name}`);
  }
});

test('no module but settings.ts reads a variable from the environment', () => {
  const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
  const readers = files(join(ROOT, 'src'))
    .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts') && !f.endsWith(join('config', 'settings.ts')))
    .filter((f) => /process\.env(\.[A-Za-z_]|\[)/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(readers, []);
});
