export function buildConsole(opts?: { quiet?: boolean }): Promise<unknown>;
