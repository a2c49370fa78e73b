import type { RecordShape } from '../dialects/record-shapes.ts';
import { readLines, type ImportFormat } from './read-lines.ts';

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

const parentKey = (r: { input: { parent_id?: string | null }; parentNumber?: number }) =>
  r.input.parent_id ? `id:${r.input.parent_id}` : r.parentNumber !== undefined ? `n:${r.parentNumber}` : undefined;

export async function scan(file: string, format: ImportFormat, shape: RecordShape): Promise<Scan> {
  let records = 0;
  let maxNumber = 0;
  const parentOf = new Map<number, string>();
  for await (const l of readLines(file, format, shape)) {
    records++;
    if (!l.row) continue;
    if (l.row.number !== undefined) maxNumber = Math.max(maxNumber, l.row.number);
    const p = parentKey(l.row);
    if (p) parentOf.set(l.ordinal, p);
  }
  const depth = new Map<number, number>();
  const unplaceable = new Map<number, string>();
  if (parentOf.size) {
    // Which records of the file are the parents named: a second read, only when some are.
    const wanted = new Set(parentOf.values());
    const lineOf = new Map<string, number>();
    for await (const l of readLines(file, format, shape)) {
      if (!l.row) continue;
      for (const k of [l.row.id && `id:${l.row.id}`, l.row.number !== undefined && `n:${l.row.number}`]) if (k && wanted.has(k) && !lineOf.has(k)) lineOf.set(k, l.ordinal);
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
