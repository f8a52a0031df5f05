/**
 * A pass-through stream that hashes and counts bytes and fails when they do not match the
 * descriptor: too many bytes fail as soon as they arrive, a wrong digest or a short stream fail at
 * the end, so a consumer never mistakes tampered content for a complete read.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { ProvisioningError } from '@provisioning/schemas';
import type { Descriptor } from '../types.js';
import { createDigestHash, parseSupportedDigest } from './digest.js';

export class VerifyingStream extends Transform {
  private readonly hash;
  private received = 0;

  constructor(
    private readonly desc: Descriptor,
    private readonly where: string,
  ) {
    super();
    this.hash = createDigestHash(parseSupportedDigest(desc.digest, where).algorithm);
  }

  /** Bytes seen so far. */
  get bytes(): number {
    return this.received;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.received += chunk.length;
    if (this.received > this.desc.size) {
      done(sizeMismatch(this.desc, this.where, this.received));
      return;
    }
    this.hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.received !== this.desc.size) {
      done(sizeMismatch(this.desc, this.where, this.received));
      return;
    }
    const actual = `${this.desc.digest.slice(0, this.desc.digest.indexOf(':'))}:${this.hash.digest('hex')}`;
    if (actual !== this.desc.digest) {
      done(
        new ProvisioningError(
          'DIGEST_MISMATCH',
          `content of ${this.desc.digest} in ${this.where} hashes to ${actual}`,
          {
            hint: 'the stored or received content is corrupted or was tampered with; fetch it again from a trusted source',
            details: { expected: this.desc.digest, actual, where: this.where },
          },
        ),
      );
      return;
    }
    done();
  }
}

export function sizeMismatch(desc: Descriptor, where: string, actual: number): ProvisioningError {
  return new ProvisioningError(
    'SIZE_MISMATCH',
    `content of ${desc.digest} in ${where} is ${actual > desc.size ? 'longer' : 'shorter'} than the expected ${desc.size} bytes`,
    {
      hint: 'the content is truncated, corrupted or the descriptor is wrong; fetch it again',
      details: { expected: desc.size, actual, digest: desc.digest, where },
    },
  );
}
