export function pgBin(name: string): string;
export function startCluster(settings?: string[]): Promise<{ url: string; port: number; stop(): void }>;
