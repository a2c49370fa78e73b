#!/usr/bin/env node
// Builds the web console (src/console/web) into dist/console: one minified script and one
// stylesheet, no CDN. Runs as npm's `prepare`, so `npm install` leaves a working console.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'src', 'console', 'web');
const out = join(root, 'dist', 'console');

export async function buildConsole({ quiet = false } = {}) {
  mkdirSync(out, { recursive: true });
  const result = await build({
    entryPoints: { app: join(web, 'main.tsx'), styles: join(web, 'styles.css') },
    outdir: out,
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    metafile: true,
    logLevel: quiet ? 'warning' : 'info',
  });
  copyFileSync(join(web, 'index.html'), join(out, 'index.html'));
  return result;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildConsole();
