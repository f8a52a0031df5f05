import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { parseDigest } from '@provisioning/schemas';
import { RegistryError } from '../http/errors.js';

export { digestOf } from '../layout/digest.js';

export interface VerifyOptions {
  digest: string;
  /** Expected size; omitted when unknown (chunked uploads of unknown length). */
  size?: number;
  /** Where the bytes come from, for the error message. */
  source: string;
}

/**
 * Passes bytes through while hashing them; errors the stream with `DIGEST_MISMATCH` (kind
 * registry) as soon as more than `size` bytes arrive, or at the end when size or hash differ.
 * Callers write to a temp file and rename only after the stream finished cleanly.
 */
export class DigestVerifier extends Transform {
  private readonly hash: Hash;
  private readonly expectedHex: string;
  private received = 0;

  constructor(private readonly options: VerifyOptions) {
    super();
    const { algorithm, hex } = parseDigest(options.digest);
    this.hash = createHash(algorithm);
    this.expectedHex = hex;
  }

  get bytesReceived(): number {
    return this.received;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.received += chunk.length;
    if (this.options.size !== undefined && this.received > this.options.size) {
      callback(this.mismatch(`more than the expected ${this.options.size} bytes`));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.options.size !== undefined && this.received !== this.options.size) {
      callback(this.mismatch(`${this.received} bytes instead of ${this.options.size}`));
      return;
    }
    const actual = this.hash.digest('hex');
    if (actual !== this.expectedHex) {
      callback(this.mismatch(`content hashes to ${this.options.digest.split(':')[0]}:${actual}`));
      return;
    }
    callback();
  }

  private mismatch(why: string): RegistryError {
    return new RegistryError(
      'DIGEST_MISMATCH',
      `${this.options.source}: content does not match ${this.options.digest} (${why})`,
      {
        hint: 'the registry or a proxy served corrupted or tampered content; nothing was kept — retry or contact the registry operator',
        details: { digest: this.options.digest, source: this.options.source },
      },
    );
  }
}
