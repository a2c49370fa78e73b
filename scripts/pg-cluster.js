// A throwaway PostgreSQL cluster from the machine's binaries, in a temporary folder, for tests
// and benchmarks. As root it runs the server as the `postgres` user, which initdb requires.
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

export function pgBin(name) {
  const onPath = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    for (const v of readdirSync(base).sort().reverse()) {
      const p = join(base, v, 'bin', name);
      if (existsSync(p)) return p;
    }
  }
  throw new Error(`PostgreSQL's ${name} was not found: install the postgresql package or set DATABASE_URL`);
}

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

export async function startCluster(settings = []) {
  const dir = mkdtempSync(join(tmpdir(), 'roster-pg-'));
  chmodSync(dir, 0o777);
  const asRoot = process.getuid?.() === 0;
  const run = (bin, args) => {
    const cmd = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
    execFileSync(cmd[0], cmd[1], { stdio: ['ignore', 'ignore', 'inherit'] });
  };
  const data = join(dir, 'data');
  const port = await freePort();
  run(pgBin('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-locale', '-E', 'UTF8']);
  const server = (folder, at, log) => {
    const start = () =>
      run(pgBin('pg_ctl'), [
        '-D',
        folder,
        '-l',
        log,
        '-w',
        '-o',
        `-p ${at} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 ${settings.map((s) => `-c ${s}`).join(' ')}`,
        'start',
      ]);
    const stopServer = (mode = 'fast') => run(pgBin('pg_ctl'), ['-D', folder, '-w', '-m', mode, 'stop']);
    return { start, stopServer };
  };
  const primary = server(data, port, join(dir, 'log'));
  primary.start();
  const standbys = [];
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    /** Stops the server (as an operator's restart would), keeping its data, until `resume`. */
    pause(mode = 'fast') {
      primary.stopServer(mode);
    },
    resume: primary.start,
    /**
     * A streaming standby of this cluster, as an operator makes one: `pg_basebackup -R` (a copy
     * of the data folder that starts in recovery and connects back for the WAL), on its own port.
     */
    async startStandby() {
      const folder = join(dir, `standby${standbys.length}`);
      const at = await freePort();
      run(pgBin('pg_basebackup'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-D', folder, '-R', '-X', 'stream', '-c', 'fast']);
      const standby = server(folder, at, join(dir, `standby${standbys.length}.log`));
      standby.start();
      standbys.push(standby);
      return {
        url: `postgres://postgres@127.0.0.1:${at}/postgres`,
        port: at,
        pause(mode = 'fast') {
          standby.stopServer(mode);
        },
        resume: standby.start,
      };
    },
    stop() {
      try {
        for (const s of standbys) {
          try {
            s.stopServer('immediate');
          } catch {
            // already stopped
          }
        }
        primary.stopServer('fast');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
