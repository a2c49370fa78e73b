import type { RecordShape } from '../dialects/record-shapes.ts';
import { readLines, type ImportFormat, type Line } from './read-lines.ts';
import type { Scan } from './scan.ts';

// The batches of an import, in load order: the records of depth 0 in file order, cut into
// batches, then those of depth 1, and so on (scan.ts). Batches are read from the file as the
// load asks for them, so memory holds a batch or two, never the file; a resumed load skips the
// batches already in without keeping them.

export interface BatchLayout {
  batches: number;
  /** First batch of each depth below the top (runLoad's stages). */
  stages: number[];
  /** Records in each batch. */
  sizes: number[];
}

export function layout(s: Scan, batchSize: number): BatchLayout {
  const sizes: number[] = [];
  const stages: number[] = [];
  s.perDepth.forEach((n, d) => {
    if (d > 0 && n > 0) stages.push(sizes.length);
    for (let left = n; left > 0; left -= batchSize) sizes.push(Math.min(batchSize, left));
  });
  return { batches: sizes.length, stages, sizes };
}

export class BatchSource {
  private readonly wanted = new Set<number>();
  private readonly ready = new Map<number, Line[]>();
  private produced = 0;
  private reading: Promise<void> = Promise.resolve();
  private readonly iterator: AsyncGenerator<Line[]>;

  constructor(
    private readonly file: string,
    private readonly format: ImportFormat,
    private readonly shape: RecordShape,
    private readonly s: Scan,
    private readonly batchSize: number,
  ) {
    this.iterator = this.all();
  }

  /** The batches the load will ask for; any other is passed over. */
  start(todo: readonly number[]) {
    for (const i of todo) this.wanted.add(i);
  }

  /** Batch `index`: read on from the file up to it (batches are asked for in order, give or take the ones in flight). */
  get(index: number): Promise<Line[]> {
    const result = this.reading.then(async () => {
      while (this.produced <= index && !this.ready.has(index)) {
        const next = await this.iterator.next();
        if (next.done) throw new Error(`the import file changed while it was loaded (no batch ${index})`);
        if (this.wanted.has(this.produced)) this.ready.set(this.produced, next.value);
        this.produced++;
      }
      const lines = this.ready.get(index);
      this.ready.delete(index);
      if (!lines) throw new Error(`batch ${index} was read already`);
      return lines;
    });
    // Read the next wanted batch while this one is written: parsing and checking lines in Node
    // overlaps the database's work on the batch before.
    this.reading = result.then(
      () => this.readAhead(index + 1),
      () => {},
    );
    return result;
  }

  private async readAhead(index: number) {
    while (this.produced <= index && this.ready.size < 2) {
      const next = await this.iterator.next();
      if (next.done) return;
      if (this.wanted.has(this.produced)) this.ready.set(this.produced, next.value);
      this.produced++;
    }
  }

  private async *all(): AsyncGenerator<Line[]> {
    for (let d = 0; d < this.s.perDepth.length; d++) {
      if (this.s.perDepth[d] === 0) continue;
      let batch: Line[] = [];
      for await (const l of readLines(this.file, this.format, this.shape)) {
        if ((this.s.depth.get(l.ordinal) ?? 0) !== d) continue;
        const why = this.s.unplaceable.get(l.ordinal);
        batch.push(why ? { line: l.line, ordinal: l.ordinal, error: why } : l);
        if (batch.length === this.batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    }
  }
}
