import type { Anchor, SortTerm } from './list-query.ts';
import { RosterError } from './errors.ts';

// Opaque cursors carry the sort they were made under and the boundary record's sort values,
// so a page can resume even after that record is deleted. `values` holds every key of the
// compiled order, the id tiebreak included.

interface CursorBody {
  s: string;
  v: (string | number | null)[];
  i: string;
}

const sortSignature = (sort: readonly SortTerm[]) => sort.map((t) => `${t.key}:${t.dir}`).join(',');

export function encodeCursor(sort: readonly SortTerm[], values: (string | number | null)[], id: string): string {
  const body: CursorBody = { s: sortSignature(sort), v: values, i: id };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

export function decodeCursor(token: string, sort: readonly SortTerm[]): Anchor {
  let body: CursorBody;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new RosterError('invalid_cursor', 'The cursor is not one this API issued');
  }
  if (!body || typeof body.i !== 'string' || !Array.isArray(body.v) || body.s !== sortSignature(sort)) {
    throw new RosterError('invalid_cursor', 'The cursor is not valid for this sort order');
  }
  return { values: body.v, id: body.i };
}
