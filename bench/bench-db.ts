// What every benchmark starts from: a fresh database (in a throwaway cluster with the given
// settings, unless DATABASE_URL names a server), the child processes it runs against it, and
// one `close` that stops them and removes it all, whatever the run ended with.
import { spawn, type ChildProcess } from 'node:child_process';
import postgres from 'postgres';
import { startCluster } from '../scripts/pg-cluster.js';

/**
 * Once a child is up, what it logs at warning level or above (pino's JSON lines, which Roster
 * and the peers both write) is printed with its label: a timeout or a 500 during a load is seen
 * where it happened. Returns the unfinished last line.
 */
function echoWarnings(label: string, text: string): string {
  const lines = text.split('\n');
  for (const line of lines.slice(0, -1)) {
    if (!line.startsWith('{')) continue;
    try {
      if ((JSON.parse(line) as { level?: number }).level! >= 40) console.log(`  [${label}] ${line.length > 400 ? `${line.slice(0, 400)}…` : line}`);
    } catch {}
  }
  return lines.at(-1)!.slice(-65_536);
}

export type BenchDb = Awaited<ReturnType<typeof benchDatabase>>;

export async function benchDatabase(prefix: string, settings: string[]) {
  const cluster = process.env.DATABASE_URL ? undefined : await startCluster(settings);
  const adminUrl = process.env.DATABASE_URL ?? cluster!.url;
  const name = `${prefix}_${Date.now()}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const children: ChildProcess[] = [];
  return {
    cluster,
    admin,
    name,
    /** The benchmark database's URL. */
    url: url.toString(),
    /** Starts a process (node unless `exec` says otherwise) and resolves once its output says `ready`. */
    startChild(label: string, argv: string[], env: Record<string, string>, ready: string, exec = process.execPath): Promise<ChildProcess> {
      const child = spawn(exec, argv, { env: { ...process.env, ...env } });
      children.push(child);
      let out = '';
      let started = false;
      return new Promise((resolve, reject) => {
        // Each stream keeps its own unfinished line: a chunk of one must not end a line of the other.
        const reader = () => {
          let partial = '';
          return (d: Buffer) => {
            if (started) return void (partial = echoWarnings(label, partial + d));
            out += d;
            if (out.includes(ready)) {
              started = true;
              resolve(child);
            }
          };
        };
        child.stdout!.on('data', reader());
        child.stderr!.on('data', reader());
        child.on('exit', (code) => reject(new Error(`${label} exited ${code}:\n${out}`)));
      });
    },
    async close() {
      for (const c of children) {
        c.removeAllListeners('exit');
        c.kill('SIGTERM');
      }
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await admin.end();
      cluster?.stop();
    },
  };
}
