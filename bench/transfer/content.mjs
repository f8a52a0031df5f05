// Benchmark content: real extensions (scaffolded by the packager) carrying incompressible bytes
// from a seeded stream, so every run pushes the same digests and gzip cannot shrink them.
import { createCipheriv, createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const CHUNK = 1 << 20;

/**
 * `bytes` of AES-128-CTR keystream keyed by `seed`: deterministic, incompressible, and produced one
 * MiB at a time (a 512 MiB file never sits in memory).
 */
export async function writeSeededBytes(file, bytes, seed) {
  const key = createHash('sha256').update(`provisioning-bench-${seed}`).digest();
  const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
  const zeros = Buffer.alloc(CHUNK);
  async function* chunks() {
    for (let left = bytes; left > 0; left -= CHUNK) {
      yield cipher.update(left >= CHUNK ? zeros : zeros.subarray(0, left));
    }
  }
  await mkdir(dirname(file), { recursive: true });
  await pipeline(Readable.from(chunks()), createWriteStream(file));
}

/** A valid taskserv extension at `dir` with `bytes` of seeded data in `docs/blob.bin`. */
export async function makeExtension(scaffoldExtension, dir, name, bytes, seed) {
  await mkdir(dirname(dir), { recursive: true });
  await scaffoldExtension('taskserv', name, dir);
  await writeSeededBytes(join(dir, 'docs', 'blob.bin'), bytes, seed);
  return dir;
}
