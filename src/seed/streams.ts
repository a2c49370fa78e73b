// Feeding COPY: rows joined into chunks, and one source shared by several COPY streams.

/** About this many characters per chunk: one write (and one COPY message) per chunk, not per row. */
export const CHUNK_CHARS = 128 * 1024;

/**
 * Lets `n` consumers draw from one iterator, each taking the next item when it is ready for
 * one, so the faster stream simply takes more. When one consumer stops early (its COPY
 * failed), the others fail at their next item instead of going on to commit a part.
 */
export function share<T>(source: Iterator<T>, n: number): AsyncIterable<T>[] {
  let exhausted = false;
  let abandoned = false;
  async function* consumer(): AsyncGenerator<T> {
    let finished = false;
    try {
      while (!exhausted) {
        if (abandoned) throw new Error('Stopped: a parallel COPY stream failed');
        const next = source.next();
        if (next.done) exhausted = true;
        else yield next.value;
      }
      finished = true;
    } finally {
      if (!finished && !abandoned) {
        abandoned = true;
        // Lets the source run its own clean-up now rather than never.
        source.return?.();
      }
    }
  }
  return Array.from({ length: n }, consumer);
}

/**
 * Chunks one side pushes and one COPY stream reads as they come: reading waits for the next
 * chunk, ends once the queue is closed and empty, and fails once the queue is failed.
 */
export class ChunkQueue implements AsyncIterable<string> {
  private readonly chunks: string[] = [];
  private closed = false;
  private error: unknown;
  private wake: (() => void) | undefined;

  push(chunk: string) {
    this.chunks.push(chunk);
    this.signal();
  }

  close() {
    this.closed = true;
    this.signal();
  }

  fail(error: unknown) {
    this.error ??= error;
    this.signal();
  }

  private signal() {
    this.wake?.();
    this.wake = undefined;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<string> {
    for (;;) {
      if (this.error) throw this.error;
      const chunk = this.chunks.shift();
      if (chunk !== undefined) yield chunk;
      else if (this.closed) return;
      else await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}
