#!/usr/bin/env node
// The `roster` command: the server and CLI compiled to plain JavaScript by `npm run build` (npm's
// `prepare` runs it on install). `npm run dev` runs the TypeScript sources instead.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('roster: the build is missing (dist/cli/main.js); run `npm run build` (npm install runs it)');
  process.exit(1);
}
await import(main.href);
