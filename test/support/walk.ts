import assert from 'node:assert/strict';

// The page walks every dialect's list is held to: from the first page to the last, and back
// from the end, every expected record exactly once, in order, with "more after" and "more
// before" true exactly when records remain on that side.

export interface Page {
  ids: string[];
  hasMoreAfter: boolean;
  hasMoreBefore: boolean;
}

/**
 * Forward: `first` is the first page, `next` the one after a page (the i-th). Returns the ids
 * seen, which must be `expected`; with `limit`, every page is full but the last.
 */
export async function walkForward<P extends Page>(what: string, expected: readonly string[], first: () => Promise<P>, next: (page: P, i: number) => Promise<P>, limit?: number): Promise<string[]> {
  const seen: string[] = [];
  let page = await first();
  assert.equal(page.hasMoreBefore, false, `the first page has nothing before it: ${what}`);
  for (let i = 0; ; i++) {
    const size = limit === undefined ? page.ids.length : Math.min(limit, expected.length - seen.length);
    assert.deepEqual(page.ids, expected.slice(seen.length, seen.length + size), `page ${i} forward: ${what}`);
    seen.push(...page.ids);
    assert.equal(page.hasMoreAfter, seen.length < expected.length, `more after page ${i}: ${what}`);
    if (!page.hasMoreAfter) break;
    assert.ok(page.ids.length > 0 && i < expected.length, `a page that says more follows moves on: ${what}`);
    page = await next(page, i);
    assert.equal(page.hasMoreBefore, true, `more before page ${i + 1}: ${what}`);
  }
  assert.deepEqual(seen, expected, `forward walk: ${what}`);
  return seen;
}

/**
 * Backward from the end: `last` is the page before the last expected record (which lies after
 * it), `prev` the one before a page. Every record but the last comes back, in order; with
 * `limit`, every page is full but the first.
 */
export async function walkBackward<P extends Page>(what: string, expected: readonly string[], last: () => Promise<P>, prev: (page: P, i: number) => Promise<P>, limit?: number): Promise<string[]> {
  const want = expected.slice(0, -1);
  const back: string[] = [];
  let page = await last();
  for (let i = 0; ; i++) {
    const end = want.length - back.length;
    const size = limit === undefined ? page.ids.length : Math.min(limit, end);
    assert.deepEqual(page.ids, want.slice(end - size, end), `page ${i} backward: ${what}`);
    back.unshift(...page.ids);
    assert.equal(page.hasMoreAfter, true, `a backward page has its anchor after it: ${what}`);
    assert.equal(page.hasMoreBefore, back.length < want.length, `more before, backward page ${i}: ${what}`);
    if (!page.hasMoreBefore) break;
    assert.ok(page.ids.length > 0 && i < expected.length, `a page that says more precedes moves on: ${what}`);
    page = await prev(page, i);
  }
  assert.deepEqual(back, want, `backward walk: ${what}`);
  return back;
}
