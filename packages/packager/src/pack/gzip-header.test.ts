import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GzipHeaderNormalizer } from './gzip-header.js';

async function through(chunks: Buffer[]): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const chunk of Readable.from(chunks).pipe(new GzipHeaderNormalizer())) out.push(chunk as Buffer);
  return Buffer.concat(out);
}

describe('GzipHeaderNormalizer', () => {
  // A gzip member as another platform's zlib might write it: MTIME set, OS = 11 (NTFS).
  const foreign = Buffer.concat([
    Buffer.from([0x1f, 0x8b, 8, 0, 0x78, 0x56, 0x34, 0x12, 0, 11]),
    Buffer.from([0x4b, 0x04, 0x00, 0x43, 0xbe, 0xb7, 0xe8, 0x01, 0x00, 0x00, 0x00]),
  ]);

  it('pins MTIME to 0 and OS to 3 even when the header arrives in pieces', async () => {
    const pieces = [foreign.subarray(0, 3), foreign.subarray(3, 7), foreign.subarray(7)];
    const out = await through(pieces);
    expect([...out.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
    expect(out.subarray(10)).toEqual(foreign.subarray(10));
    expect(gunzipSync(out).toString()).toBe('a');
  });

  it('refuses headers with optional fields and streams shorter than a header', async () => {
    const withName = Buffer.from(foreign);
    withName[3] = 0x08;
    await expect(through([withName])).rejects.toThrow(/optional fields/);
    await expect(through([foreign.subarray(0, 5)])).rejects.toThrow(/shorter than its header/);
  });
});
