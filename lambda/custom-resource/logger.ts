/** Structured (JSON) log lines. Never pass the event's ResponseURL: it is a credential. */
export type Logger = (level: 'INFO' | 'WARN' | 'ERROR', message: string, fields?: Record<string, unknown>) => void;

/** One JSON line per entry, through the console method of its level (Lambda's JSON log format keys on it). */
export const jsonLogger: Logger = (level, message, fields) => {
  const line = JSON.stringify({ level, message, ...fields });
  const write = { INFO: console.info, WARN: console.warn, ERROR: console.error }[level];
  write(line);
};
