#!/usr/bin/env node
// `npm run build` (and npm's `prepare`): the server compiled to plain JavaScript in dist/, the
// files it reads at run time beside it, and the web console bundle in dist/console.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildConsole } from './build-console.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');

// Files the server finds next to its modules by import.meta.url (migrations, SQL definitions,
// the schema manifest, and whatever else is added beside them): everything in
// src that is not TypeScript, documentation, test fixtures (golden SQL) or the console's
// browser sources.
const isRuntimeAsset = (path) => {
  const rel = relative(src, path);
  if (rel.startsWith(join('console', 'web')) || rel.split(/[\\/]/).includes('golden')) return false;
  return !/\.(ts|tsx|md)$/.test(path);
};

function copyAssets(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) copyAssets(path);
    else if (isRuntimeAsset(path)) cpSync(path, join(dist, relative(src, path)));
  }
}

// A clean output: a module deleted from src must not linger in dist and still be loaded.
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
copyAssets(src);
await buildConsole({ quiet: true });
