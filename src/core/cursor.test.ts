import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { RosterError } from './errors.ts';

test('a cursor round-trips under the sort it was made for', () => {
  const sort = [{ key: 'name', dir: 'asc' }] as const;
  const token = encodeCursor(sort, ['acme', 'X'.repeat(27)], 'X'.repeat(27));
  assert.deepEqual(decodeCursor(token, sort), { values: ['acme', 'X'.repeat(27)], id: 'X'.repeat(27) });
});

test('a cursor is refused under another sort, and garbage is refused', () => {
  const token = encodeCursor([{ key: 'name', dir: 'asc' }], ['a', 'b'], 'b');
  assert.throws(
    () => decodeCursor(token, [{ key: 'name', dir: 'desc' }]),
    (e: unknown) => e instanceof RosterError && e.code === 'invalid_cursor',
  );
  assert.throws(
    () => decodeCursor('!!!', [{ key: 'name', dir: 'asc' }]),
    (e: unknown) => e instanceof RosterError && e.code === 'invalid_cursor',
  );
});
