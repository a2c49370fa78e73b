// How tenant reads reach a PostgreSQL server: each read runs as the restricted role with its
// account set, so row-level security applies on top of the query's own account scope. There
// are two ways (tenant-readers.ts keeps sessions set per account; pooled-reads.ts sets them per
// transaction, for a pooler), and a router over a primary and its standbys (replica-reads.ts).

/** The account's write version (migration 003) as the read's snapshot saw it, read before it. */
export const WRITE_VERSION = `SELECT write_version::text AS v FROM account_modes WHERE account_id = $1`;

export interface Read {
  accountId: string;
  text: string;
  params: unknown[];
  prepare: boolean;
  /** Read the account's write version first, in the same session, and return it. */
  withVersion?: boolean;
}

export interface ReadResult<T> {
  rows: T[];
  /** With `withVersion`: the write version seen before the read ('0' for an unknown account). */
  version?: bigint;
}

export interface PoolUse {
  size: number;
  inUse: number;
  waiting: number;
}

export interface ReadPath {
  read<T>(r: Read): Promise<ReadResult<T>>;
  use(): PoolUse;
  close(): Promise<void>;
}

export const versionOf = (rows: { v: string }[] | undefined): bigint => BigInt(rows?.[0]?.v ?? '0');
