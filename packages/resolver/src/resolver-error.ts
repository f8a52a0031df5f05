/**
 * The resolver's error type. It carries the same brand and fields as `ProvisioningError` from
 * `@provisioning/schemas` (code, kind, message, hint, details, exitCode, toJSON), so
 * `isProvisioningError` and `instanceof ProvisioningError` recognise it, while the resolver itself
 * depends on nothing but semver: installing it pulls no zod, no yaml, and it bundles for the browser
 * (docs/architecture.md, "Error model"). Its codes are in the catalogue like every other.
 */
export type ResolverErrorKind = 'input' | 'usage' | 'registry' | 'network' | 'internal';

export interface ResolverErrorOptions {
  kind?: ResolverErrorKind;
  hint?: string;
  cause?: unknown;
  details?: Record<string, unknown>;
}

/** The process-wide brand every provisioning error carries (`Symbol.for`: the same in every copy). */
const BRAND = Symbol.for('provisioning.error');

export class ResolverError extends Error {
  override readonly name: string = 'ResolverError';
  readonly code: string;
  readonly kind: ResolverErrorKind;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, options: ResolverErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    Object.defineProperty(this, BRAND, { value: true });
    this.code = code;
    this.kind = options.kind ?? 'input';
    this.hint = options.hint;
    this.details = options.details ?? {};
  }

  /** Exit status a CLI uses for this error: input 1, usage 2, registry/network 3. */
  get exitCode(): number {
    if (this.kind === 'usage') return 2;
    return this.kind === 'registry' || this.kind === 'network' ? 3 : 1;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, kind: this.kind, message: this.message, hint: this.hint, ...this.details };
  }
}
