export function pgBin(name: string): string;
export interface Cluster {
  url: string;
  port: number;
  /** Stops the server, keeping its data, until `resume`. */
  pause(mode?: 'smart' | 'fast' | 'immediate'): void;
  resume(): void;
  stop(): void;
}
export function startCluster(settings?: string[]): Promise<Cluster>;
