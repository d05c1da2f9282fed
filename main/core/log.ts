/**
 * A small leveled logger. Callers pass a topic and a message; secrets are
 * never handed to it (passwords stay inside accounts/ and xmpp/sasl).
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(topic: string, message: string, detail?: unknown): void;
  info(topic: string, message: string, detail?: unknown): void;
  warn(topic: string, message: string, detail?: unknown): void;
  error(topic: string, message: string, detail?: unknown): void;
  /** Changes the lowest level written, live (loggers that have a level: createLogger's). */
  setLevel?(level: Level): void;
}

export const LEVELS: readonly Level[] = ['debug', 'info', 'warn', 'error'];

export function isLevel(value: string): value is Level {
  return (LEVELS as readonly string[]).includes(value);
}

export type LogSink = (line: string) => void;

function describe(detail: unknown): string {
  if (detail === undefined) return '';
  if (detail instanceof Error) return ` :: ${detail.name}: ${detail.message}`;
  if (typeof detail === 'string') return ` :: ${detail}`;
  try {
    return ` :: ${JSON.stringify(detail)}`;
  } catch {
    return ' :: [unserialisable]';
  }
}

export interface LevelledLogger extends Logger {
  readonly level: Level;
  setLevel(level: Level): void;
}

/** A logger writing lines of `level` and above to `sink`; `setLevel` moves the threshold live (the log level setting). */
export function createLogger(
  level: Level,
  sink: LogSink = (line) => process.stderr.write(line + '\n'),
): LevelledLogger {
  let current = level;
  const at = (lvl: Level) => (topic: string, message: string, detail?: unknown) => {
    if (ORDER[lvl] < ORDER[current]) return;
    sink(`${new Date().toISOString()} ${lvl.toUpperCase().padEnd(5)} [${topic}] ${message}${describe(detail)}`);
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    get level() {
      return current;
    },
    setLevel(next) {
      current = next;
    },
  };
}

const ignore = (): void => undefined;
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
