import { parse, protocol, type PGlite } from '@electric-sql/pglite';

// PGlite's query() parses and plans its statement again on every call (it keeps no statements)
// and sends each protocol message in a call of its own. Here a statement marked preparable is
// parsed once into a named statement, so Postgres can keep its plan, and the messages of one
// or more statements go down in as few calls as their parameter types allow.

const { serialize } = protocol;
type Message = Awaited<ReturnType<PGlite['execProtocolStream']>>[number];

export interface Step {
  text: string;
  params: unknown[];
  prepare: boolean;
}

interface Named {
  name: string;
  types: number[];
}

export class PgliteStatements {
  private readonly named = new Map<string, Named>();
  private counter = 0;
  private closing: string[] = [];

  /** `max`: named statements kept at most; the least recently used is closed past it. */
  constructor(
    private readonly pg: PGlite,
    private readonly max = 500,
  ) {}

  /** Runs `steps` on their own, holding PGlite's locks as its query() does. */
  async root<T>(steps: Step[]): Promise<T[]> {
    await this.pg._checkReady();
    return this.pg._runExclusiveTransaction(() => this.pg._runExclusiveQuery(() => this.run<T>(steps, true)));
  }

  /** Runs `steps` inside an open PGlite transaction, which already holds the transaction lock. */
  inTransaction<T>(steps: Step[]): Promise<T[]> {
    return this.pg._runExclusiveQuery(() => this.run<T>(steps, false));
  }

  /**
   * Sends the steps up to one Sync, and returns the rows of the last. Outside a transaction
   * block everything before the Sync is one implicit transaction: a setting a step makes with
   * set_config(…, true) holds for the later steps and ends with it.
   */
  private async run<T>(steps: Step[], root: boolean): Promise<T[]> {
    const messages: Message[] = [];
    // Evicted statements are closed outside transaction blocks, where nothing can refuse it.
    let out: Uint8Array[] = root ? this.closing.splice(0).map((name) => serialize.close({ type: 'S', name })) : [];
    const send = async (sync: boolean) => {
      if (sync) out.push(serialize.sync());
      const batch = concat(out);
      out = [];
      try {
        messages.push(...(await this.pg.execProtocolStream(batch, { syncToFs: sync && root })));
      } catch (e) {
        // The server skips everything up to a Sync after an error: end the batch with one.
        if (!sync) await this.pg.execProtocolStream(serialize.sync(), { syncToFs: false });
        throw e;
      }
    };
    for (const step of steps) {
      let stmt = step.prepare ? this.named.get(step.text) : undefined;
      if (stmt) {
        // Most recently used last, for eviction.
        this.named.delete(step.text);
        this.named.set(step.text, stmt);
      } else {
        // Parameter types are needed to send the values, so this round stops at the Describe.
        const name = step.prepare ? `roster_${++this.counter}` : '';
        out.push(serialize.parse({ name, text: step.text }), serialize.describe({ type: 'S', name }));
        const before = messages.length;
        await send(false);
        stmt = { name, types: parse.parseDescribeStatementResults(messages.slice(before)) };
        if (step.prepare) this.remember(step.text, stmt);
      }
      const values = step.params.map((v, i) => serializeValue(this.pg, v, stmt.types[i]));
      out.push(serialize.bind({ statement: stmt.name, values }), serialize.describe({ type: 'P' }), serialize.execute({}));
    }
    await send(true);
    const results = parse.parseResults(messages, this.pg.parsers);
    return results[results.length - 1].rows as T[];
  }

  private remember(text: string, stmt: Named) {
    this.named.set(text, stmt);
    if (this.named.size <= this.max) return;
    const [oldest, { name }] = this.named.entries().next().value!;
    this.named.delete(oldest);
    this.closing.push(name);
  }
}

/** A parameter in text format, as PGlite's query() sends it. */
function serializeValue(pg: PGlite, value: unknown, type: number | undefined): string | null {
  if (value === null || value === undefined) return null;
  const serializer = type === undefined ? undefined : pg.serializers[type];
  return serializer ? serializer(value) : String(value);
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}
