export function pgbouncerBin(): string;
export interface PgBouncer {
  port: number;
  /** PgBouncer's own log. */
  log(): string;
  /** A URL of a database through PgBouncer. */
  url(database: string): string;
  stop(): void;
}
export function startPgBouncer(serverPort: number, opts?: { poolMode?: 'session' | 'transaction' | 'statement'; poolSize?: number }): Promise<PgBouncer>;
