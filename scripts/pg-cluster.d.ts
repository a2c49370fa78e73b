export function pgBin(name: string): string;
export interface Cluster {
  url: string;
  port: number;
  /** Stops the server, keeping its data, until `resume`. */
  pause(mode?: 'smart' | 'fast' | 'immediate'): void;
  resume(): void;
  /** A streaming standby made with `pg_basebackup -R`, on its own port; stopped with the cluster. */
  startStandby(): Promise<Standby>;
  stop(): void;
}
export interface Standby {
  url: string;
  port: number;
  /** Stops the standby, keeping its data, until `resume`. */
  pause(mode?: 'smart' | 'fast' | 'immediate'): void;
  resume(): void;
}
export function startCluster(settings?: string[]): Promise<Cluster>;
