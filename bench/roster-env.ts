// The environment both benchmarks start `roster serve` with. Request logs are off (they would
// time the logger): it logs warnings and errors only, as JSON, which the benchmark prints. The
// per-credential rate limit of every surface (6,000 a minute by default) is lifted: at
// benchmark rates it would answer most timed requests with 429s, measuring the limiter rather
// than the list.
export const ROSTER_BENCH_ENV = { LOG_LEVEL: 'warn', ROSTER_LOG_FORMAT: 'json', ROSTER_RATE_LIMIT: '100000000' } as const;
