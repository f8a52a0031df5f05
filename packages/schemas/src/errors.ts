import { type ErrorCode, kindOfCode } from './error-catalogue.js';

/**
 * The one error type every provisioning package throws for expected failures.
 *
 * `code` is stable and machine-readable (shown in `--json` output), one of the catalogue's
 * (`error-catalogue.ts`, docs/errors.md), which also fixes its `kind` and so the CLI exit status:
 * `input` → 1, `usage` → 2, `registry` / `network` → 3 (docs/architecture.md, "Error model"). `message` is one line
 * saying what failed and on which file, key or reference; `hint` says what to do about it.
 * Secrets never go into any of these fields.
 */
export type ErrorKind = 'input' | 'usage' | 'registry' | 'network' | 'internal';

export interface ProvisioningErrorOptions {
  kind?: ErrorKind;
  hint?: string;
  cause?: unknown;
  /** Extra machine-readable facts (file, key path, reference, HTTP status …). */
  details?: Record<string, unknown>;
}

/**
 * A process-wide brand: `Symbol.for` returns the same symbol in every copy of this module, so an
 * error thrown by a self-contained bundle (`@provisioning/workspace/lean`, or a library user's own
 * bundle) is still recognised by `isProvisioningError`, where `instanceof` would not be.
 */
const BRAND = Symbol.for('provisioning.error');

export class ProvisioningError extends Error {
  override readonly name: string = 'ProvisioningError';

  /**
   * `error instanceof ProvisioningError` uses the brand too, so it holds for an error from another
   * copy of this class; a subclass keeps the ordinary prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class `instanceof` was asked about
    if (this === ProvisioningError) return isProvisioningError(value);
    // biome-ignore lint/complexity/noThisInStatic: a subclass keeps the prototype-chain check
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: ProvisioningErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    Object.defineProperty(this, BRAND, { value: true });
    this.code = code;
    // the catalogue decides: one code, one kind, one exit status (docs/errors.md)
    this.kind = kindOfCode(code, options.kind) ?? 'input';
    this.hint = options.hint;
    this.details = options.details ?? {};
  }

  /** Exit status the CLI uses for this error (docs/errors.md). */
  get exitCode(): number {
    switch (this.kind) {
      case 'usage':
        return 2;
      case 'registry':
      case 'network':
        return 3;
      default:
        return 1;
    }
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, kind: this.kind, message: this.message, hint: this.hint, ...this.details };
  }
}

/** True for a `ProvisioningError` from any copy of this package (see the brand above). */
export function isProvisioningError(value: unknown): value is ProvisioningError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
