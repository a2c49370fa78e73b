import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { markOpened } from './surface-errors.ts';
import type { Dialect } from '../dialects/index.ts';

// Each dialect can also be served at the root of an origin of its own. Vendor SDKs build their
// URLs as `new URL('/customers', baseURL)`, which drops any path in the base URL, so a client
// pointed at http://host:8080/dakota would call http://host:8080/customers. On a listener of
// its own (`roster serve --listen dakota=127.0.0.1:8081`) a dialect's paths start at `/`, as the
// vendor's do: the request's path is put under the dialect's root before routing, and nothing
// else changes. Optionally (ROSTER_HOST_ROUTING=on) the Host header picks the dialect on the
// main listener too: `dakota.localhost`.

export interface Listen {
  surface: string;
  host: string;
  port: number;
}

/** Paths every listener serves as they are: the hosted onboarding pages and the probes. */
const SHARED = /^\/(onboarding|health|ready|metrics)(\/|\?|$)/;

/** `dakota=127.0.0.1:8081`, `dakota=:8081` or `dakota=8081` (on 127.0.0.1), for the surfaces there are. */
export function parseListen(specs: string[], surfaces: readonly string[]): Listen[] {
  return specs
    .flatMap((spec) => spec.split(','))
    .map((s) => s.trim())
    .filter(Boolean)
    .map((spec) => {
      const m = /^([a-z]+)=(?:(\[[0-9a-fA-F:]+\]|[^:\s]*):)?(\d{1,5})$/.exec(spec);
      if (!m) throw new Error(`--listen ${spec}: expected surface=host:port, e.g. dakota=127.0.0.1:8081`);
      const [, surface, host, port] = m;
      if (!surfaces.includes(surface)) throw new Error(`--listen ${spec}: no surface "${surface}"; use one of ${surfaces.join(', ')}`);
      const n = Number(port);
      if (n < 1 || n > 65535) throw new Error(`--listen ${spec}: the port must be between 1 and 65535`);
      return { surface, host: (host || '127.0.0.1').replace(/^\[|\]$/g, ''), port: n };
    });
}

/** Which listener (or Host) roots a request under which dialect. */
export class Origins {
  private readonly byServer = new WeakMap<Server, string>();
  private readonly roots: Map<string, string>;

  constructor(
    dialects: readonly Dialect[],
    private readonly hostRouting: boolean,
  ) {
    this.roots = new Map(dialects.map((d) => [d.name, d.originRoot ?? d.prefix]));
  }

  get surfaces(): string[] {
    return [...this.roots.keys()];
  }

  /** Fastify's rewriteUrl: the path the routes know, for a request to a dialect's own origin. */
  rewrite(req: IncomingMessage): string {
    const url = req.url ?? '/';
    const root = this.rootOf(req);
    if (root === undefined || SHARED.test(url)) return url;
    return root + url;
  }

  /** The dialect a request came to the origin of, if any: its errors are that dialect's, whatever the path. */
  dialectOf(req: IncomingMessage): string | undefined {
    const root = this.rootOf(req);
    if (root === undefined) return undefined;
    for (const [name, r] of this.roots) if (r === root) return name;
    return undefined;
  }

  /** The dialect root a request is under, if it came to a dialect's origin. */
  rootOf(req: IncomingMessage): string | undefined {
    const server = (req.socket as Socket & { server?: Server }).server;
    const own = server && this.byServer.get(server);
    if (own !== undefined) return own;
    if (!this.hostRouting) return undefined;
    const label = /^([a-z]+)\./.exec(req.headers.host ?? '')?.[1];
    return label !== undefined ? this.roots.get(label) : undefined;
  }

  /** Listens for each dialect given, on its own address, with the app's own request handler. */
  async serve(app: FastifyInstance, listens: readonly Listen[], onClientError: (root: string) => (err: Error, socket: Socket) => void): Promise<() => Promise<void>> {
    const servers: Server[] = [];
    for (const l of listens) {
      const root = this.roots.get(l.surface)!;
      const server = createServer(app.routing as never);
      server.keepAliveTimeout = app.server.keepAliveTimeout;
      server.requestTimeout = app.server.requestTimeout;
      server.on('connection', markOpened);
      server.on('clientError', onClientError(root));
      this.byServer.set(server, root);
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(l.port, l.host, () => resolve()));
      servers.push(server);
    }
    return async () => {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
    };
  }
}
