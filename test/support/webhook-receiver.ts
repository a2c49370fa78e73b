import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { verify } from '../../src/webhooks/signature.ts';

// A real HTTP receiver on a loopback port, as a platform would run one: it records every
// delivery (body, signature, whether the signature verifies) and answers as the test scripts it.

export interface Received {
  id: string;
  type: string;
  record: string;
  body: any;
  raw: string;
  signature: string | undefined;
  verified: boolean;
  attempt: number;
  at: number;
}

/** What to do with a request: a status to answer, 'hang' (never answer), or a delay then a status. */
export type Answer = number | 'hang' | { delayMs: number; status: number };

export interface Receiver {
  url: string;
  /** Deliveries answered 2xx, in the order they were answered. */
  ok: Received[];
  /** Every request, answered or not. */
  all: Received[];
  /** Sets how the next requests are answered (by default 200). */
  answer: (fn: (r: Received) => Answer) => void;
  /** Resolves once `pred` holds, polling every 20 ms. */
  until: (pred: () => boolean, timeoutMs?: number, what?: string) => Promise<void>;
  secret: string;
  close(): Promise<void>;
}

const recordOf = (body: any) => (body?.type?.startsWith('customer.') ? body.data.object.id : `${body?.type}:${JSON.stringify(body?.data?.object ?? {})}`);

export async function startReceiver(): Promise<Receiver> {
  let decide: (r: Received) => Answer = () => 200;
  const hanging = new Set<ServerResponse>();
  const r: Receiver = {
    url: '',
    ok: [],
    all: [],
    secret: '',
    answer: (fn) => (decide = fn),
    until: async (pred, timeoutMs = 20_000, what = 'condition') => {
      const end = Date.now() + timeoutMs;
      while (!pred()) {
        if (Date.now() > end) throw new Error(`receiver: no ${what} within ${timeoutMs} ms (got ${r.all.length} requests, ${r.ok.length} answered 2xx)`);
        await new Promise((res) => setTimeout(res, 20));
      }
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((res) => server.close(() => res()));
    },
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      let body: any;
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
      const signature = req.headers['roster-signature'] as string | undefined;
      const got: Received = {
        id: body?.id,
        type: body?.type,
        record: recordOf(body),
        body,
        raw,
        signature,
        verified: verify(r.secret, signature, raw),
        attempt: Number(req.headers['roster-delivery-attempt']),
        at: Date.now(),
      };
      r.all.push(got);
      const a = decide(got);
      if (a === 'hang') {
        hanging.add(res);
        return;
      }
      const finish = (status: number) => {
        if (status >= 200 && status < 300) r.ok.push(got);
        res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
      };
      if (typeof a === 'number') finish(a);
      else setTimeout(() => finish(a.status), a.delayMs);
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  const { port } = server.address() as { port: number };
  r.url = `http://127.0.0.1:${port}/hooks`;
  return r;
}
