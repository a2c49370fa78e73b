import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ksuid } from '../core/ids.ts';
import { ksuidOf, uuidOf } from './ids.ts';
import { words } from './random.ts';

const bytesOf = (...w: number[]) => {
  const b = Buffer.alloc(16);
  w.forEach((x, i) => {
    b.writeUInt32BE(x, i * 4);
  });
  return b;
};

test('seeded KSUIDs are exactly what core ksuid makes of the same time and bytes', () => {
  const u32 = words(99);
  const times = [0, Date.UTC(2014, 4, 13), Date.UTC(2021, 0, 1), Date.UTC(2026, 9, 1), 1_400_000_000_000 + 0xffffffff * 1000];
  for (let i = 0; i < 5000; i++) times.push(Date.UTC(2014, 5, 1) + Math.floor((u32() / 2 ** 32) * 100 * 365 * 86400_000));
  const edges = [
    [0, 0, 0, 0],
    [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
    [0, 0, 0, 1],
    [0x80000000, 0, 0, 0],
  ];
  for (const [i, ms] of times.entries()) {
    const w = edges[i] ?? [u32(), u32(), u32(), u32()];
    assert.equal(ksuidOf(ms, w[0], w[1], w[2], w[3]), ksuid(new Date(ms), bytesOf(...w)), `${ms} ${w}`);
  }
});

test('seeded uuids are well-formed version 4 uuids that differ', () => {
  const u32 = words(5);
  const seen = new Set<string>();
  for (let i = 0; i < 5000; i++) {
    const u = uuidOf(u32(), u32(), u32(), u32());
    assert.match(u, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    seen.add(u);
  }
  assert.equal(seen.size, 5000);
  assert.equal(uuidOf(0x01234567, 0x89abcdef, 0xfedcba98, 0x76543210), '01234567-89ab-4def-aedc-ba9876543210');
});
