import { Transform, type TransformCallback } from 'node:stream';

/**
 * The time budget of one exchange up to its response headers: connect, send, wait, every retry and
 * every back-off. It runs out `budgetMs` after the start, or after the last byte of a request body
 * went out, so an upload that keeps making progress is never cut, while a registry that accepts the
 * connection and never answers fails within the budget in total (docs/oci.md, "Timeouts and
 * retries"). Response bodies are not covered: they have an idle timeout instead.
 */
export class Deadline {
  private expires: number;

  constructor(readonly budgetMs: number) {
    this.expires = Date.now() + budgetMs;
  }

  remaining(): number {
    return Math.max(0, this.expires - Date.now());
  }

  /** Bytes moved: the budget starts again. */
  progress(): void {
    this.expires = Date.now() + this.budgetMs;
  }

  /**
   * A signal for one attempt that aborts with `DeadlineExceeded` when the budget is spent. Disarm it
   * as soon as the response headers arrived: undici would otherwise destroy the body on abort.
   */
  arm(): { signal: AbortSignal; disarm: () => void } {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const check = () => {
      const left = this.remaining();
      if (left > 0) {
        timer = setTimeout(check, left);
        return;
      }
      controller.abort(new DeadlineExceeded(this.budgetMs));
    };
    timer = setTimeout(check, this.remaining());
    return {
      signal: controller.signal,
      disarm: () => clearTimeout(timer),
    };
  }

  /** Passes a request body through, counting each chunk read by the socket as progress. */
  meter(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) => {
        this.progress();
        done(null, chunk);
      },
    });
  }
}

/** The reason a spent `Deadline` aborts its request with. */
export class DeadlineExceeded extends Error {
  readonly code = 'PROVISIONING_TIMEOUT';

  constructor(readonly budgetMs: number) {
    super(`no answer within ${formatDuration(budgetMs)}`);
    this.name = 'DeadlineExceeded';
  }
}

/** `2 s`, `1.5 s`, `2 min`, `250 ms` for messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 100) / 10} s`;
}
