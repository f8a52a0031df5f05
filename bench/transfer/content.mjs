// Benchmark content: real extensions (scaffolded by the packager) carrying incompressible bytes
// from a seeded stream, so every run pushes the same digests and gzip cannot shrink them.
import { createCipheriv, createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
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

/** A valid taskserv extension `name` at `version` in `dir`, with `bytes` of seeded data in `docs/blob.bin`. */
export async function makeExtension(scaffoldExtension, dir, name, version, bytes, seed) {
  await mkdir(dirname(dir), { recursive: true });
  await scaffoldExtension('taskserv', name, dir, { version });
  await writeSeededBytes(join(dir, 'docs', 'blob.bin'), bytes, seed);
  return dir;
}

/**
 * A plain (non-extension) artifact in an OCI image layout: an empty config, one layer of `bytes`
 * seeded bytes, tagged `tag`. Extensions are capped at 256 MiB (validation and unpack limits), so
 * the large case moves an artifact like this one with `oci copy`. The layer file is hashed and
 * streamed into the layout, then removed.
 */
export async function makeLargeLayout(OciLayout, layoutDir, scratchFile, bytes, tag) {
  await writeSeededBytes(scratchFile, bytes, 'large');
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(scratchFile)) hash.update(chunk);
  const layer = {
    mediaType: 'application/vnd.provisioning.bench.blob.v1',
    digest: `sha256:${hash.digest('hex')}`,
    size: (await stat(scratchFile)).size,
  };
  const configBytes = Buffer.from('{}');
  const config = {
    mediaType: 'application/vnd.oci.empty.v1+json',
    digest: `sha256:${createHash('sha256').update(configBytes).digest('hex')}`,
    size: configBytes.length,
  };
  const manifestBytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.provisioning.bench.v1',
      config,
      layers: [layer],
    }),
  );
  const manifest = {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: `sha256:${createHash('sha256').update(manifestBytes).digest('hex')}`,
    size: manifestBytes.length,
  };
  const layout = await OciLayout.open(layoutDir, { create: true });
  await layout.push(config, configBytes);
  await layout.push(layer, createReadStream(scratchFile));
  await layout.push(manifest, manifestBytes);
  await layout.tag(manifest, tag);
  await rm(scratchFile, { force: true });
  return layer.size;
}
