import { Transform, type TransformCallback } from 'node:stream';

/**
 * Pins the variable fields of the 10-byte gzip header (RFC 1952 §2.3): MTIME to 0 and OS to 3
 * (Unix) whatever platform zlib was built for, so the same tarball compresses to the same bytes
 * on every machine. Node writes no optional fields (FLG = 0); anything else is a bug we surface.
 */
export class GzipHeaderNormalizer extends Transform {
  private header: Buffer | undefined = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.header === undefined) {
      callback(null, chunk);
      return;
    }
    this.header = Buffer.concat([this.header, chunk]);
    if (this.header.length < 10) {
      callback();
      return;
    }
    const data = this.header;
    this.header = undefined;
    if (data[0] !== 0x1f || data[1] !== 0x8b || data[2] !== 8 || data[3] !== 0) {
      callback(new Error('unexpected gzip header from zlib (optional fields present)'));
      return;
    }
    data.writeUInt32LE(0, 4);
    data[9] = 3;
    callback(null, data);
  }

  override _flush(callback: TransformCallback): void {
    if (this.header !== undefined && this.header.length > 0) {
      callback(new Error('gzip stream shorter than its header'));
      return;
    }
    callback();
  }
}
