/**
 * The one stream that checks content against its descriptor, wherever bytes come from (a layout
 * file, a registry response, an upload body): it hashes and counts what passes through; too many
 * bytes fail as soon as they arrive, a wrong digest or a short stream fail at the end, so a
 * consumer never mistakes tampered content for a complete read. Callers write to a temp file and
 * rename only after the stream finished cleanly.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { ProvisioningError } from '@provisioning/schemas';
import { createDigestHash, parseSupportedDigest } from './digest.js';

export interface Expected {
  digest: string;
  /** Expected size; omitted when unknown (chunked uploads of unknown length). */
  size?: number;
}

/** What went wrong: the size (`received` bytes) or the hash (`actual` digest). */
export type Mismatch =
  | { kind: 'size'; expected: Expected; received: number; where: string }
  | { kind: 'digest'; expected: Expected; actual: string; where: string };

/** The error for a mismatch; the default is `DIGEST_MISMATCH` naming `where`. */
export type MismatchError = (mismatch: Mismatch) => Error;

export class VerifyingStream extends Transform {
  private readonly hash;
  private received = 0;

  constructor(
    private readonly expected: Expected,
    private readonly where: string,
    private readonly toError: MismatchError = storedContentError,
  ) {
    super();
    this.hash = createDigestHash(parseSupportedDigest(expected.digest, where).algorithm);
  }

  /** Bytes seen so far. */
  get bytes(): number {
    return this.received;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.received += chunk.length;
    if (this.expected.size !== undefined && this.received > this.expected.size) {
      done(this.sizeError());
      return;
    }
    this.hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.expected.size !== undefined && this.received !== this.expected.size) {
      done(this.sizeError());
      return;
    }
    const { digest } = this.expected;
    const actual = `${digest.slice(0, digest.indexOf(':'))}:${this.hash.digest('hex')}`;
    if (actual !== digest) {
      done(this.toError({ kind: 'digest', expected: this.expected, actual, where: this.where }));
      return;
    }
    done();
  }

  private sizeError(): Error {
    return this.toError({
      kind: 'size',
      expected: this.expected,
      received: this.received,
      where: this.where,
    });
  }
}

/** Stored content (a layout's blob) that is not what its descriptor says. */
function storedContentError(mismatch: Mismatch): ProvisioningError {
  const { expected, where } = mismatch;
  if (mismatch.kind === 'size') {
    return sizeMismatch({ digest: expected.digest, size: expected.size ?? 0 }, where, mismatch.received);
  }
  return new ProvisioningError(
    'DIGEST_MISMATCH',
    `content of ${expected.digest} in ${where} hashes to ${mismatch.actual}`,
    {
      hint: 'the stored or received content is corrupted or was tampered with; fetch it again from a trusted source',
      details: { expected: expected.digest, actual: mismatch.actual, where },
    },
  );
}

export function sizeMismatch(
  desc: { digest: string; size: number },
  where: string,
  actual: number,
): ProvisioningError {
  // the same code as a registry serving a truncated or padded body (received-content-error.ts):
  // one failure, one code, whichever storage it came from
  return new ProvisioningError(
    'DIGEST_MISMATCH',
    `content of ${desc.digest} in ${where} is ${actual > desc.size ? 'longer' : 'shorter'} than the expected ${desc.size} bytes`,
    {
      hint: 'the content is truncated, corrupted or the descriptor is wrong; fetch it again',
      details: { expected: desc.size, actual, digest: desc.digest, where },
    },
  );
}
