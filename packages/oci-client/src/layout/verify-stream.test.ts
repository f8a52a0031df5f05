import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { receivedContentError } from '../registry/received-content-error.js';
import { VerifyingStream } from './verify-stream.js';

async function drain(bytes: Buffer[], digest: string, size?: number): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(bytes),
    new VerifyingStream({ digest, ...(size === undefined ? {} : { size }) }, 'test', receivedContentError),
    async (source) => {
      for await (const chunk of source) out.push(chunk as Buffer);
    },
  );
  return Buffer.concat(out);
}

describe('VerifyingStream (registry errors)', () => {
  const data = Buffer.from('hello, registry');
  const sha256 = `sha256:${createHash('sha256').update(data).digest('hex')}`;
  const sha512 = `sha512:${createHash('sha512').update(data).digest('hex')}`;

  it('passes matching content through (sha256 and sha512)', async () => {
    expect((await drain([data.subarray(0, 3), data.subarray(3)], sha256, data.length)).equals(data)).toBe(
      true,
    );
    expect((await drain([data], sha512, data.length)).equals(data)).toBe(true);
  });

  it('errors on a hash, short or long size mismatch', async () => {
    const other = Buffer.from('hello, registrX');
    await expect(drain([other], sha256, data.length)).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    await expect(drain([data.subarray(0, 5)], sha256, data.length)).rejects.toThrow(/5 bytes instead of 15/);
    await expect(drain([data, Buffer.from('!')], sha256, data.length)).rejects.toThrow(
      /more than the expected 15 bytes/,
    );
  });

  it('rejects invalid digests before reading anything', () => {
    expect(() => new VerifyingStream({ digest: 'md5:abc' }, 'x')).toThrow(/invalid digest/);
    expect(() => new VerifyingStream({ digest: 'sha256:../../etc' }, 'x')).toThrow(/invalid digest/);
  });
});
