// Every setting Roster reads from its environment, in one table: its variable, its default, what
// it means and how its value is checked. The server reads them here and nowhere else, checks
// them all at start and names every bad one; the README's table and .env.example list the same
// variables (a test keeps the three in step). Of OpenTelemetry's own OTEL_* variables, those
// that switch tracing on and choose its exporter are read here; the exporter reads the rest
// (endpoint, headers, timeouts) itself (src/ops/tracing.ts).

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Settings {
  port: number;
  host: string;
  /** `surface=host:port` listeners of dialects at the root of origins of their own (checked against the surfaces there are when serving). */
  listen: string[];
  hostRouting: boolean;
  dataDir: string;
  databaseUrl: string | undefined;
  replicaUrls: string[];
  /** Seconds a standby may be behind the primary and still serve reads. */
  replicaMaxLag: number;
  /** `transaction`: PgBouncer (or another pooler) in transaction mode sits between Roster and PostgreSQL. */
  pooler: 'none' | 'transaction';
  /** Named prepared statements; off for poolers that cannot keep them (PgBouncer before 1.21). */
  prepare: boolean;
  poolSize: number;
  publicUrl: string | undefined;
  logLevel: LogLevel;
  logFormat: 'auto' | 'json' | 'pretty';
  demo: boolean;
  metrics: boolean;
  /** Seconds an idempotency key is remembered. */
  idempotencyWindow: number;
  rateLimit: number | undefined;
  rateLimits: 'default' | 'vendor';
  dakotaRateLimit: number | undefined;
  /** From OpenTelemetry's own variables; undefined when tracing is off. */
  tracing: { exporter: string; protocol: string } | undefined;
}

type Env = Record<string, string | undefined>;

export interface Setting {
  name: string;
  /** As the README shows it; '—' when unset means off or absent. */
  default: string;
  meaning: string;
  /** Checks a value that is set (not empty) and returns it parsed; throws an Error whose message says what is expected. */
  parse(value: string): unknown;
}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

const oneOf =
  <T extends string>(...values: T[]) =>
  (v: string): T => {
    if (!values.includes(v as T)) throw new Error(`must be one of ${values.join(', ')}`);
    return v as T;
  };
const onOff = (v: string): boolean => oneOf('on', 'off')(v) === 'on';
const integer =
  (min: number, max: number) =>
  (v: string): number => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min || n > max) throw new Error(`must be a whole number from ${min} to ${max}`);
    return n;
  };
const postgresUrl = (v: string): string => {
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new Error('must be a URL such as postgres://user:password@host:5432/roster');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new Error('must start with postgres:// or postgresql://');
  return v;
};
const httpUrl = (v: string): string => {
  const url = URL.canParse(v) ? new URL(v) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new Error('must be an http:// or https:// URL, such as https://roster.example.com');
  return v.replace(/\/+$/, '');
};

/** The table. Order is the README's. */
export const SETTINGS: Setting[] = [
  { name: 'PORT', default: '8080', meaning: 'port to listen on (`roster serve --port`)', parse: integer(0, 65535) },
  { name: 'HOST', default: '127.0.0.1', meaning: 'address to bind (`--host 0.0.0.0` to expose it, as the container does)', parse: (v) => v },
  {
    name: 'ROSTER_LISTEN',
    default: '—',
    meaning: 'comma-separated `surface=host:port`: also serve each of these dialects at the root of an origin of its own (`roster serve --listen`)',
    parse: (v) => {
      const specs = v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const bad = specs.find((s) => !/^[a-z]+=(?:(?:\[[0-9a-fA-F:]+\]|[^:\s]*):)?\d{1,5}$/.test(s));
      if (bad) throw new Error(`has ${JSON.stringify(bad)}: expected surface=host:port, e.g. dakota=127.0.0.1:8081`);
      return specs;
    },
  },
  { name: 'ROSTER_HOST_ROUTING', default: 'off', meaning: '`on`: the main listener also picks a dialect by the Host header (`dakota.localhost`; `--host-routing`)', parse: onOff },
  { name: 'ROSTER_DATA_DIR', default: './.roster', meaning: 'folder of the embedded store (`--data-dir`)', parse: (v) => v },
  { name: 'DATABASE_URL', default: '—', meaning: '`postgres://…` of a PostgreSQL 15+ server (or of a pooler in front of it); when set, the embedded store is not used', parse: postgresUrl },
  {
    name: 'DATABASE_REPLICA_URLS',
    default: '—',
    meaning: 'comma-separated `postgres://…` of streaming standbys of `DATABASE_URL`: list and get reads go to them, with read-your-writes (see docs/scale-out.md)',
    parse: (v) =>
      v
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean)
        .map(postgresUrl),
  },
  { name: 'ROSTER_REPLICA_MAX_LAG', default: '5', meaning: 'seconds a standby may be behind the primary and still serve reads; past it reads go to the primary', parse: integer(0, 3600) },
  {
    name: 'ROSTER_PG_POOLER',
    default: 'none',
    meaning: '`transaction`: `DATABASE_URL` is a pooler in transaction mode (PgBouncer): no session state is relied on, and prepared statements default to off',
    parse: oneOf('none', 'transaction'),
  },
  {
    name: 'ROSTER_PG_PREPARE',
    default: 'on (off with a pooler)',
    meaning: '`off`: no named prepared statements (PgBouncer before 1.21 in transaction mode); `on` with a pooler that keeps them (PgBouncer 1.21+ `max_prepared_statements`)',
    parse: onOff,
  },
  { name: 'ROSTER_PG_POOL_SIZE', default: '10', meaning: 'connections this process opens to PostgreSQL for writes, and as many again for reads (per standby too)', parse: integer(1, 1000) },
  { name: 'ROSTER_PUBLIC_URL', default: "the request's origin", meaning: 'base of the onboarding links Roster hands out (e.g. `https://roster.example.com` behind a proxy)', parse: httpUrl },
  {
    name: 'LOG_LEVEL',
    default: 'info',
    meaning: `request and server logs at this level and above: ${LEVELS.join(', ')} (logs carry route patterns and request ids, never paths, query strings, bodies, keys or database messages)`,
    parse: oneOf(...LEVELS),
  },
  { name: 'ROSTER_LOG', default: 'on', meaning: '`off` is `LOG_LEVEL=silent`', parse: onOff },
  {
    name: 'ROSTER_LOG_FORMAT',
    default: 'auto',
    meaning: '`pretty` (readable lines, pino-pretty), `json` (one JSON object a line); `auto`: pretty when stdout is a terminal, else JSON',
    parse: oneOf('auto', 'json', 'pretty'),
  },
  { name: 'ROSTER_DEMO', default: 'on', meaning: '`off` starts an empty store without a demo account (`roster serve --no-demo`)', parse: onOff },
  { name: 'ROSTER_METRICS', default: 'on', meaning: '`off` does not serve `/metrics` (Prometheus text format)', parse: onOff },
  { name: 'ROSTER_IDEMPOTENCY_WINDOW', default: '86400', meaning: 'seconds an idempotency key is remembered; a retry after it runs again', parse: integer(1, 31_536_000) },
  { name: 'ROSTER_RATE_LIMIT', default: '6000', meaning: 'requests a minute per credential (and per client address without one), on every surface', parse: integer(1, 1_000_000_000) },
  {
    name: 'ROSTER_RATE_LIMITS',
    default: 'default',
    meaning: "`vendor`: each vendor's documented limits instead (Dakota 60 a minute per key and 10 without one; Spirii 600 reads and 120 writes)",
    parse: oneOf('default', 'vendor'),
  },
  { name: 'ROSTER_DAKOTA_RATE_LIMIT', default: '—', meaning: "Dakota's per-key figure alone, over `ROSTER_RATE_LIMIT`", parse: integer(1, 1_000_000_000) },
  { name: 'ROSTER_EVENT_RETENTION_DAYS', default: '30', meaning: 'events (and finished webhook deliveries) older than this are removed', parse: integer(1, 36_500) },
  { name: 'ROSTER_WEBHOOK_TIMEOUT_MS', default: '10000', meaning: 'a delivery not answered within this is a failed attempt', parse: integer(1, 600_000) },
  { name: 'ROSTER_WEBHOOK_RETRY_BASE_MS', default: '10000', meaning: "the first retry's delay; each retry doubles it, at most 6 hours", parse: integer(1, 21_600_000) },
  {
    name: 'ROSTER_WEBHOOK_GIVE_UP_SECONDS',
    default: '259200',
    meaning: 'a delivery failing this long after its event (3 days) fails for good and disables its endpoint',
    parse: integer(1, 31_536_000),
  },
  { name: 'ROSTER_WEBHOOK_CONCURRENCY', default: '16', meaning: 'deliveries one process sends at once', parse: integer(1, 1000) },
  { name: 'ROSTER_WEBHOOK_PER_ENDPOINT', default: '4', meaning: 'of those, at most this many to one endpoint, so a slow receiver holds only its own share', parse: integer(1, 1000) },
  { name: 'ROSTER_WEBHOOK_POLL_MS', default: '500', meaning: 'how often an idle sender looks for due deliveries', parse: integer(1, 3_600_000) },
  { name: 'ROSTER_WEBHOOKS', default: 'on', meaning: '`off`: this process sends no webhooks (others on the same database still do)', parse: onOff },
  { name: 'ROSTER_IMPORT_MAX_BYTES', default: '1073741824', meaning: 'largest file `POST /v1/imports` accepts (1 GiB)', parse: integer(1, Number.MAX_SAFE_INTEGER) },
];

const BY_NAME = new Map(SETTINGS.map((s) => [s.name, s]));

export class SettingsError extends Error {}

/** One setting's parsed value, or undefined when unset or empty. Throws a SettingsError for a bad value. */
export function setting<T>(name: string, env: Env = process.env): T | undefined {
  const s = BY_NAME.get(name);
  if (!s) throw new Error(`no setting ${name}`);
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  try {
    return s.parse(raw) as T;
  } catch (e) {
    throw new SettingsError(`${name}=${JSON.stringify(redact(name, raw))} ${(e as Error).message}`);
  }
}

/** A URL's password is not repeated in an error message. */
function redact(name: string, raw: string): string {
  if (!name.includes('DATABASE')) return raw;
  return raw.replace(/\/\/([^:/@]*):[^@]*@/g, '//$1:***@');
}

/**
 * Tracing is on when OTEL_TRACES_EXPORTER names an exporter or an OTLP endpoint is set, unless
 * OTEL_SDK_DISABLED=true (the SDK's own rules). One exporter, over HTTP.
 */
function tracingFrom(env: Env, problems: string[]): Settings['tracing'] {
  const read = (name: string) => env[name]?.trim() || undefined;
  if (read('OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return undefined;
  const exporter = read('OTEL_TRACES_EXPORTER')?.toLowerCase();
  const endpoint = read('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? read('OTEL_EXPORTER_OTLP_ENDPOINT');
  if (exporter === 'none' || (!exporter && !endpoint)) return undefined;
  const protocol = read('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? read('OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf';
  if (exporter && exporter !== 'otlp' && exporter !== 'console') problems.push(`OTEL_TRACES_EXPORTER=${JSON.stringify(exporter)} must be otlp, console or none`);
  if (protocol !== 'http/protobuf' && protocol !== 'http/json')
    problems.push(`OTEL_EXPORTER_OTLP_PROTOCOL=${JSON.stringify(protocol)} must be http/protobuf or http/json (OTLP over HTTP, port 4318; gRPC is not included)`);
  return { exporter: exporter ?? 'otlp', protocol };
}

/** Every setting, checked; a SettingsError names each bad variable, one a line. */
export function loadSettings(env: Env = process.env): Settings {
  const problems: string[] = [];
  const get = <T>(name: string): T | undefined => {
    try {
      return setting<T>(name, env);
    } catch (e) {
      problems.push((e as Error).message);
      return undefined;
    }
  };
  const pooler = get<Settings['pooler']>('ROSTER_PG_POOLER') ?? 'none';
  const databaseUrl = get<string>('DATABASE_URL');
  const replicaUrls = get<string[]>('DATABASE_REPLICA_URLS') ?? [];
  if (replicaUrls.length && !env.DATABASE_URL?.trim()) problems.push('DATABASE_REPLICA_URLS needs DATABASE_URL: standbys serve reads for a primary');
  const logOff = get<boolean>('ROSTER_LOG') === false;
  const settings: Settings = {
    port: get<number>('PORT') ?? 8080,
    host: get<string>('HOST') ?? '127.0.0.1',
    listen: get<string[]>('ROSTER_LISTEN') ?? [],
    hostRouting: get<boolean>('ROSTER_HOST_ROUTING') ?? false,
    dataDir: get<string>('ROSTER_DATA_DIR') ?? './.roster',
    databaseUrl,
    replicaUrls,
    replicaMaxLag: get<number>('ROSTER_REPLICA_MAX_LAG') ?? 5,
    pooler,
    prepare: get<boolean>('ROSTER_PG_PREPARE') ?? pooler === 'none',
    poolSize: get<number>('ROSTER_PG_POOL_SIZE') ?? 10,
    publicUrl: get<string>('ROSTER_PUBLIC_URL'),
    logLevel: logOff ? 'silent' : (get<LogLevel>('LOG_LEVEL') ?? 'info'),
    logFormat: get<Settings['logFormat']>('ROSTER_LOG_FORMAT') ?? 'auto',
    demo: get<boolean>('ROSTER_DEMO') ?? true,
    metrics: get<boolean>('ROSTER_METRICS') ?? true,
    idempotencyWindow: get<number>('ROSTER_IDEMPOTENCY_WINDOW') ?? 86_400,
    rateLimit: get<number>('ROSTER_RATE_LIMIT'),
    rateLimits: get<Settings['rateLimits']>('ROSTER_RATE_LIMITS') ?? 'default',
    dakotaRateLimit: get<number>('ROSTER_DAKOTA_RATE_LIMIT'),
    tracing: tracingFrom(env, problems),
  };
  // The rest are read where they are used (config/dataflow.ts); a bad one is named at start all the same.
  for (const s of SETTINGS) get(s.name);
  if (problems.length) throw new SettingsError(`bad settings in the environment:\n  ${[...new Set(problems)].join('\n  ')}\n(README.md, Configuration, lists every setting)`);
  return settings;
}
