#!/usr/bin/env node
// `npm test`: every test file, on the embedded store and on a real PostgreSQL. Uses DATABASE_URL
// when set; otherwise starts a throwaway cluster from the machine's PostgreSQL binaries in a
// temporary folder and removes it afterwards.
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster } from './pg-cluster.js';

function findTests(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return findTests(p);
    return name.endsWith('.test.ts') ? [p] : [];
  });
}

// `npm test -- path/to.test.ts …` runs just those files; otherwise every test file runs.
const args = process.argv.slice(2);
const named = args.filter((a) => a.endsWith('.test.ts'));
const files = named.length ? [] : [...findTests('src'), ...findTests('test')];
let cluster;
const env = { ...process.env };
if (!env.DATABASE_URL) {
  cluster = await startCluster();
  env.ROSTER_TEST_DATABASE_URL = cluster.url;
} else {
  env.ROSTER_TEST_DATABASE_URL = env.DATABASE_URL;
}
delete env.DATABASE_URL;
let status = 1;
try {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...args, ...files], { stdio: 'inherit', env });
  status = r.status ?? 1;
} finally {
  cluster?.stop();
}
process.exit(status);
