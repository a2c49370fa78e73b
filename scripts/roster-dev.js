#!/usr/bin/env node
// The `roster` command from the TypeScript sources, through tsx: what the tests run, and `npm run
// dev`, so that a change is tried without a build. The installed command (bin/roster.js) runs
// the build in dist/.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
