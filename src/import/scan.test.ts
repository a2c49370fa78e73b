import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from './scan.ts';
import { layout } from './batch-source.ts';

// The first pass: each record's depth below records of the same file, whatever their order,
// cycles found, and the batches laid out a depth at a time.

const id = (c: string) => c.repeat(27);

test('depths follow parents listed anywhere in the file; cycles are unplaceable; batches go a depth at a time', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-scan-'));
  try {
    const file = join(dir, 'f.ndjson');
    const lines = [
      { id: id('d'), name: 'D', parent_id: id('c') }, // 0: depth 3
      { id: id('c'), name: 'C', parent_id: id('b') }, // 1: depth 2
      { name: 'Outside', parent_id: id('z') }, //          2: parent not in the file: depth 0
      { id: id('b'), name: 'B', parent_id: id('a') }, // 3: depth 1
      { id: id('a'), name: 'A' }, //                       4: depth 0
      { id: id('x'), name: 'X', parent_id: id('y') }, // 5: cycle
      { id: id('y'), name: 'Y', parent_id: id('x') }, // 6: cycle
      { name: 'bad', type: 'alien' }, //                   7: unreadable: depth 0
      { id: id('e'), name: 'E', parent_id: id('a'), number: 40 }, // 8: depth 1
    ];
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const s = await scan(file, 'ndjson', 'native');
    assert.equal(s.records, 9);
    assert.equal(s.maxNumber, 40);
    assert.deepEqual(
      [...s.depth].sort((a, b) => a[0] - b[0]),
      [
        [0, 3],
        [1, 2],
        [3, 1],
        [8, 1],
      ],
    );
    assert.deepEqual([...s.unplaceable.keys()].sort(), [5, 6]);
    assert.deepEqual(s.perDepth, [5, 2, 1, 1]);
    assert.deepEqual(layout(s, 2), { batches: 6, stages: [3, 4, 5], sizes: [2, 2, 1, 2, 1, 1] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
