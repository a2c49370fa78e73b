import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import type { Db } from '../store/db.ts';
import { exportCustomers, type ExportOptions } from './export-customers.ts';

// An export as a stream to send. It resolves once the first bytes are ready, so a failure
// before any byte (the database away) is answered as an error in the surface's shape; one
// after is a cut-off stream.
//
// On PostgreSQL the pages go straight out: the snapshot's transaction holds one pooled
// connection for as long as the client takes to read. The embedded store has one connection
// for every request, so there the pages are first written to a temporary file at the
// database's speed, the transaction ends, and the file is sent: other requests wait only for
// the read, never for a slow client.

/** Writes to a stream, waiting while it is full; fails if it was closed (the client went away). */
async function writeTo(out: Writable, chunk: string) {
  if (out.destroyed) throw new Error('the export was abandoned');
  if (!out.write(chunk)) await Promise.race([once(out, 'drain'), once(out, 'close')]);
  if (out.destroyed) throw new Error('the export was abandoned');
}

export async function exportStream(db: Db, o: ExportOptions): Promise<Readable> {
  if (db.kind === 'pglite') return spooled(db, o);
  const out = new PassThrough();
  let started = false;
  let ready!: () => void;
  const first = new Promise<void>((resolve) => (ready = resolve));
  const done = exportCustomers(db, o, async (chunk) => {
    // Ready before the write waits: nothing drains the stream until the caller has it.
    if (!started) {
      started = true;
      ready();
    }
    await writeTo(out, chunk);
  }).then(
    () => {
      out.end();
      ready();
    },
    (e) => {
      if (started) out.destroy(e);
      throw e;
    },
  );
  await Promise.race([first, done]);
  done.catch(() => {});
  return out;
}

async function spooled(db: Db, o: ExportOptions): Promise<Readable> {
  const dir = await mkdtemp(join(tmpdir(), 'roster-export-'));
  const file = join(dir, 'export');
  try {
    const out = createWriteStream(file);
    await exportCustomers(db, o, (chunk) => writeTo(out, chunk));
    out.end();
    await once(out, 'finish');
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  const stream = createReadStream(file);
  stream.on('close', () => void rm(dir, { recursive: true, force: true }));
  return stream;
}
