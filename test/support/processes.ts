import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

// Roster's own command line, run as a user runs it: a child process of the real CLI.

export const BIN = join(import.meta.dirname, '..', '..', 'scripts', 'roster-dev.js');

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

export interface Running {
  proc: ChildProcess;
  /** Everything it printed so far, stdout and stderr together. */
  output(): string;
  /** Resolves once it printed something matching `pattern`; rejects if it exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with its exit code (or signal) once it has exited. */
  exited: Promise<number | string>;
}

/** Starts `roster <args>`; DATABASE_URL is only what `env` gives (empty: the embedded store). */
export function roster(args: string[], env: Record<string, string> = {}): Running {
  return run(BIN, args, env);
}

/** The same, of another `roster` command: a built copy's bin/roster.js. */
export function run(bin: string, args: string[], env: Record<string, string> = {}): Running {
  const proc = spawn(process.execPath, [bin, ...args], { env: { ...process.env, DATABASE_URL: '', ROSTER_LOG: 'off', ...env } });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d;
    for (const l of listeners) l();
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const exited = new Promise<number | string>((resolve) => proc.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    proc,
    output: () => out,
    exited,
    waitFor(pattern, timeoutMs = 120_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(out)) {
            done();
            resolve();
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${out}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exited.then((code) => {
          if (!listeners.has(check)) return;
          done();
          reject(new Error(`exited (${code}) before ${pattern}:\n${out}`));
        });
        check();
      });
    },
  };
}

/** Stops a process with `signal` and waits for its exit. */
export async function stop(r: Running, signal: NodeJS.Signals = 'SIGTERM') {
  if (r.proc.exitCode === null && r.proc.signalCode === null) r.proc.kill(signal);
  await r.exited;
}
