/** Structured (JSON) log lines. Never pass the event's ResponseURL: it is a credential. */
export type Logger = (level: 'INFO' | 'WARN' | 'ERROR', message: string, fields?: Record<string, unknown>) => void;

export const jsonLogger: Logger = (level, message, fields) => {
  const line = JSON.stringify({ level, message, ...fields });
  if (level === 'ERROR') {
    console.error(line);
  } else {
    console.log(line);
  }
};
