import type { Settings } from '../config/settings.ts';

// Where the server's logs go: one JSON object a line for a log collector, or readable lines
// (pino-pretty) for a person at a terminal. pino-pretty is loaded only when it is used.

export type LoggerOption = false | { level: string; stream?: { write(line: string): void } };

export async function loggerOption(s: Pick<Settings, 'logLevel' | 'logFormat'>, isTTY = process.stdout.isTTY === true): Promise<LoggerOption> {
  if (s.logLevel === 'silent') return false;
  const pretty = s.logFormat === 'pretty' || (s.logFormat === 'auto' && isTTY);
  if (!pretty) return { level: s.logLevel };
  const { default: prettyStream } = await import('pino-pretty');
  return { level: s.logLevel, stream: prettyStream({ colorize: isTTY, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true }) };
}
