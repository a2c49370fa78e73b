import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChunkQueue, share } from './streams.ts';

test('shared consumers take every item exactly once between them, the readier one more', async () => {
  const [fast, slow] = share([...Array(100).keys()][Symbol.iterator](), 2);
  const got: number[][] = [[], []];
  await Promise.all([
    (async () => {
      for await (const x of fast) got[0].push(x);
    })(),
    (async () => {
      for await (const x of slow) {
        got[1].push(x);
        await new Promise((r) => setTimeout(r, 2));
      }
    })(),
  ]);
  assert.deepEqual(
    [...got[0], ...got[1]].sort((a, b) => a - b),
    [...Array(100).keys()],
  );
  assert.ok(got[0].length > got[1].length);
});

test('when one consumer stops early, the others fail instead of finishing, and the source is closed', async () => {
  let closed = false;
  function* source() {
    try {
      for (let i = 0; i < 100; i++) yield i;
    } finally {
      closed = true;
    }
  }
  const [a, b] = share(source(), 2);
  const ia = a[Symbol.asyncIterator]();
  const ib = b[Symbol.asyncIterator]();
  await ia.next();
  await ib.next();
  await ia.return!(undefined);
  assert.ok(closed);
  await assert.rejects(ib.next(), /parallel COPY stream failed/);
});

test('an error in the source fails the consumer that met it and then the others', async () => {
  function* source() {
    yield 1;
    throw new Error('source broke');
  }
  const [a, b] = share(source(), 2);
  const ia = a[Symbol.asyncIterator]();
  const ib = b[Symbol.asyncIterator]();
  assert.deepEqual(await ia.next(), { value: 1, done: false });
  await assert.rejects(ib.next(), /source broke/);
  await assert.rejects(ia.next(), /parallel COPY stream failed/);
});

test('a chunk queue hands over chunks as they come and ends when closed', async () => {
  const q = new ChunkQueue();
  const read = (async () => {
    const got: string[] = [];
    for await (const c of q) got.push(c);
    return got;
  })();
  q.push('a');
  await new Promise((r) => setTimeout(r, 5));
  q.push('b');
  q.push('c');
  q.close();
  assert.deepEqual(await read, ['a', 'b', 'c']);
});

test('a failed chunk queue fails its reader, waiting or not yet started', async () => {
  const waiting = new ChunkQueue();
  const read = (async () => {
    for await (const _ of waiting);
  })();
  waiting.fail(new Error('customers failed'));
  await assert.rejects(read, /customers failed/);
  const later = new ChunkQueue();
  later.push('a');
  later.fail(new Error('customers failed'));
  await assert.rejects(
    (async () => {
      for await (const _ of later);
    })(),
    /customers failed/,
  );
});
