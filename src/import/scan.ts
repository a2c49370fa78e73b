import { RECORD_KEYS, type RecordShape } from '../dialects/record-shapes.ts';
import { records as rawRecords, type ImportFormat } from './read-lines.ts';

// The first pass over an import file: how many records, the highest number it gives, and the
// depth of each record that has a parent in the same file. Records are loaded a depth at a time,
// parents before children, each depth's batches only after the one above has committed: any set
// of committed batches is then consistent on its own (no record under a parent that is not
// there), whatever order the file lists them in. Memory grows with the records that have a
// parent, not with the file.

export interface Scan {
  records: number;
  maxNumber: number;
  /** Depth of each record (by ordinal) that is below another record of the file; others are 0. */
  depth: Map<number, number>;
  /** Records that cannot be placed (a cycle in the file's hierarchy), with the reason. */
  unplaceable: Map<number, string>;
  /** Records per depth. */
  perDepth: number[];
}

/**
 * Records are only parsed here, not checked (the load checks each as it writes it): a line the
 * load refuses is placed as if it were good, and a record naming it as its parent is then
 * refused in turn ("no such customer"), which is what a bad parent line should mean.
 */
export async function scan(file: string, format: ImportFormat, shape: RecordShape): Promise<Scan> {
  const keysOf = RECORD_KEYS[shape];
  let records = 0;
  let maxNumber = 0;
  const parentOf = new Map<number, string>();
  for await (const r of rawRecords(file, format, shape)) {
    const ordinal = records++;
    if (r.error !== undefined) continue;
    const k = keysOf(r.raw);
    if (k.number !== undefined) maxNumber = Math.max(maxNumber, k.number);
    if (k.parent) parentOf.set(ordinal, k.parent);
  }
  const depth = new Map<number, number>();
  const unplaceable = new Map<number, string>();
  if (parentOf.size) {
    // Which records of the file are the parents named: a second read, only when some are.
    const wanted = new Set(parentOf.values());
    const lineOf = new Map<string, number>();
    let ordinal = 0;
    for await (const r of rawRecords(file, format, shape)) {
      const at = ordinal++;
      if (r.error !== undefined) continue;
      const k = keysOf(r.raw);
      for (const key of [k.id && `id:${k.id}`, k.number !== undefined && `n:${k.number}`]) if (key && wanted.has(key) && !lineOf.has(key)) lineOf.set(key, at);
    }
    const depthOf = (ordinal: number): number => {
      if (depth.has(ordinal)) return depth.get(ordinal)!;
      // Walk up to a record whose depth is known (or that has no parent in the file).
      const path: number[] = [];
      const seen = new Set<number>();
      let at: number | undefined = ordinal;
      let base = -1;
      while (at !== undefined) {
        if (depth.has(at)) {
          base = depth.get(at)!;
          break;
        }
        if (seen.has(at)) {
          for (const o of path) unplaceable.set(o, 'parent: the file places this customer below itself');
          for (const o of path) depth.set(o, 0);
          return 0;
        }
        seen.add(at);
        path.push(at);
        const key = parentOf.get(at);
        at = key === undefined ? undefined : lineOf.get(key);
      }
      for (let i = path.length - 1; i >= 0; i--) depth.set(path[i], ++base);
      return depth.get(ordinal)!;
    };
    for (const o of parentOf.keys()) depthOf(o);
    for (const [o, d] of depth) if (d === 0) depth.delete(o);
  }
  const perDepth = [records];
  for (const d of depth.values()) {
    perDepth[d] = (perDepth[d] ?? 0) + 1;
    perDepth[0]--;
  }
  return { records, maxNumber, depth, unplaceable, perDepth: Array.from(perDepth, (n) => n ?? 0) };
}
