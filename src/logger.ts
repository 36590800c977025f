// The server's logger. Lines carry no header or body: nothing a client sends as a secret can reach them.
// Logging must never block or stop the server: stdout may be a pipe nobody reads, one whose reader left,
// or a full disk. Lines go to stdout through a bounded sink; what it cannot take is dropped and counted.
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/** Most log bytes held in memory for a stdout that is not taking them (README "Bounds"); beyond, lines are dropped. */
export const LOG_BUFFER_LIMIT_BYTES = 1024 * 1024;

/** The part of a Node writable stream the sink uses (process.stdout; a test's stream). */
export interface OutputStream {
  readonly writableLength: number;
  readonly destroyed: boolean;
  write(text: string, done: (err?: Error | null) => void): boolean;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

const linesIn = (text: string) => Math.max(1, text.split('\n').length - 1);

/**
 * A pino destination that never waits: a pipe's writes queue in memory (Node writes them when the pipe
 * takes them), up to `limitBytes`; a line that would go past the limit, or comes after the stream broke
 * (EPIPE), is dropped and counted. Nothing here retries or spins, so the process can always exit.
 */
export class BoundedSink implements DestinationStream {
  private droppedLines = 0;
  private pendingLines = 0;
  private broken = false;

  constructor(private readonly out: OutputStream, private readonly limitBytes = LOG_BUFFER_LIMIT_BYTES) {
    // Without a listener, EPIPE on stdout would be an uncaught exception.
    out.on('error', () => { this.broken = true; });
  }

  write(text: string): boolean {
    const lines = linesIn(text);
    if (this.broken || this.out.destroyed || this.out.writableLength + text.length > this.limitBytes) {
      this.droppedLines += lines;
      return true;
    }
    this.pendingLines += lines;
    this.out.write(text, (err) => {
      this.pendingLines -= lines;
      if (err) this.droppedLines += lines;
    });
    return true;
  }

  /**
   * Lines that never reached the output: dropped ones, and those still queued (lost when the process ends
   * now). Nothing is queued when writableLength is 0: lines whose write callback has not run yet are written.
   */
  get lostLines(): number {
    return this.droppedLines + (this.out.writableLength > 0 ? this.pendingLines : 0);
  }
}

let stdoutSink: BoundedSink | undefined;
/** The process's one sink on stdout (one 'error' listener, one count), made on first use. */
export function stdoutLogSink(): BoundedSink {
  return (stdoutSink ??= new BoundedSink(process.stdout));
}

export function createLogger(level: Config['logLevel'], destination?: DestinationStream): Logger {
  return pino({ level, base: { name: 'gij-mock' }, timestamp: pino.stdTimeFunctions.isoTime }, destination ?? stdoutLogSink());
}
