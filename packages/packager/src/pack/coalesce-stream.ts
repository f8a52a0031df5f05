import { Transform, type TransformCallback } from 'node:stream';

/**
 * Gathers small chunks into writes of at least `size` bytes. tar-stream emits a 512-byte header
 * and padding per member; handing each to zlib costs a thread-pool round trip, so the deflate
 * stream gets large batches instead. Bytes and their order are unchanged (deflate output does not
 * depend on how its input was split), so digests stay the same.
 */
export class CoalesceStream extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly size: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= this.size) this.release();
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.release();
    callback();
  }

  private release(): void {
    if (this.pendingBytes === 0) return;
    this.push(this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes));
    this.pending = [];
    this.pendingBytes = 0;
  }
}
