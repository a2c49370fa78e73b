// A throwaway PgBouncer in front of a PostgreSQL server, for tests and benchmarks: Debian's
// package (1.18 on bookworm), in a temporary folder, in transaction mode unless told otherwise.
// PgBouncer refuses to run as root: as root it runs as the `postgres` user, like the cluster.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function pgbouncerBin() {
  for (const p of ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer']) if (existsSync(p)) return p;
  const onPath = spawnSync('sh', ['-c', 'command -v pgbouncer'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  throw new Error('PgBouncer was not found: install the pgbouncer package (.ci/run does)');
}

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** Starts PgBouncer for every database of the server at `serverPort` (trust auth, loopback). */
export async function startPgBouncer(serverPort, { poolMode = 'transaction', poolSize = 4 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'roster-pgbouncer-'));
  chmodSync(dir, 0o777);
  const port = await freePort();
  const ini = join(dir, 'pgbouncer.ini');
  writeFileSync(join(dir, 'userlist.txt'), '"postgres" ""\n');
  writeFileSync(
    ini,
    [
      '[databases]',
      `* = host=127.0.0.1 port=${serverPort}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      `pool_mode = ${poolMode}`,
      `default_pool_size = ${poolSize}`,
      'max_client_conn = 1000',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      `pidfile = ${join(dir, 'pgbouncer.pid')}`,
      '',
    ].join('\n'),
  );
  chmodSync(ini, 0o644);
  const asRoot = process.getuid?.() === 0;
  const cmd = asRoot ? ['runuser', ['-u', 'postgres', '--', pgbouncerBin(), '-d', ini]] : [pgbouncerBin(), ['-d', ini]];
  execFileSync(cmd[0], cmd[1], { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForPort(port);
  return {
    port,
    /** PgBouncer's own log: connections, errors, the statements it refused. */
    log: () => (existsSync(join(dir, 'pgbouncer.log')) ? readFileSync(join(dir, 'pgbouncer.log'), 'utf8') : ''),
    /** A URL of a database through PgBouncer. */
    url(database) {
      return `postgres://postgres@127.0.0.1:${port}/${database}`;
    },
    stop() {
      try {
        const pid = Number(readFileSync(join(dir, 'pgbouncer.pid'), 'utf8'));
        process.kill(pid, 'SIGINT');
      } catch {
        // already gone
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

async function waitForPort(port) {
  const { connect } = await import('node:net');
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.end();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`PgBouncer did not listen on ${port}`);
}
