/**
 * Writes OCI artifacts into one OCI image-layout tar archive (docs/air-gap.md, "The bundle format"):
 * `oci-layout`, `index.json` naming each artifact by its original reference in
 * `org.opencontainers.image.ref.name`, then every blob once under `blobs/<alg>/<hex>`, sorted by
 * digest. The same artifacts give the same bytes. Blobs stream from their source into the archive,
 * verified on the way; manifests (capped in size) are the only content held in memory.
 */
import { MAX_MANIFEST_BYTES, MediaTypes } from '@provisioning/schemas';
import type { CopyProgressEvent } from '../copy/copy.js';
import { createLimiter } from '../http/limiter.js';
import { isManifestMediaType, manifestChildren, parseManifest, readCapped } from '../layout/manifest-json.js';
import type { ContentTarget, Descriptor } from '../types.js';
import { PartedOutput } from './parted-output.js';
import { BLOCK, encodeHeader, padding } from './tar-header.js';

export const REF_NAME = 'org.opencontainers.image.ref.name';

export interface ArchiveArtifact {
  /** The original reference (`registry/repository:tag`), recorded as the entry's ref.name. */
  reference: string;
  /** The artifact's manifest. */
  root: Descriptor;
  source: ContentTarget;
  /** More annotations on the index entry (kind, module name…). */
  annotations?: Record<string, string>;
}

export interface WriteArchiveOptions {
  /** Split into `FILE.000`, `FILE.001`, … of at most this many bytes. */
  maxPartSize?: number;
  /** Per blob: `bytes` while it streams, then `blob-copied` (the events `copy` reports). */
  onProgress?(event: CopyProgressEvent): void;
}

export interface WriteArchiveResult {
  files: string[];
  size: number;
  artifacts: number;
  blobs: number;
}

interface Content {
  desc: Descriptor;
  source: ContentTarget;
  bytes?: Buffer;
}

export async function writeLayoutArchive(
  file: string,
  artifacts: readonly ArchiveArtifact[],
  options: WriteArchiveOptions = {},
): Promise<WriteArchiveResult> {
  const contents = new Map<string, Content>();
  const limit = createLimiter(4);
  const collect = async (desc: Descriptor, source: ContentTarget, depth: number): Promise<void> => {
    if (contents.has(desc.digest)) return;
    if (!isManifestMediaType(desc.mediaType)) {
      contents.set(desc.digest, { desc: plain(desc), source });
      return;
    }
    const entry: Content = { desc: plain(desc), source };
    contents.set(desc.digest, entry);
    const where = `${source.location}@${desc.digest}`;
    entry.bytes = await limit(async () => readCapped(await source.fetch(desc), MAX_MANIFEST_BYTES, where));
    if (depth > 8) return;
    await Promise.all(
      manifestChildren(parseManifest(entry.bytes, where)).map((c) => collect(c, source, depth + 1)),
    );
  };
  await Promise.all(artifacts.map((a) => collect(a.root, a.source, 0)));

  const index = {
    schemaVersion: 2,
    mediaType: MediaTypes.ociImageIndex,
    manifests: [...artifacts]
      .sort((a, b) => compare(a.reference, b.reference) || compare(a.root.digest, b.root.digest))
      .map((a) => ({
        mediaType: a.root.mediaType,
        digest: a.root.digest,
        size: a.root.size,
        annotations: sortedObject({ ...(a.annotations ?? {}), [REF_NAME]: a.reference }),
      })),
  };
  const blobs = [...contents.values()].sort((a, b) => compare(a.desc.digest, b.desc.digest));
  const algorithms = [...new Set(blobs.map((b) => b.desc.digest.split(':')[0] as string))].sort();

  const out = new PartedOutput(file, options.maxPartSize);
  let size = 0;
  const write = async (chunk: Buffer) => {
    size += chunk.length;
    await out.write(chunk);
  };
  const writeFile = async (name: string, bytes: Buffer) => {
    await write(encodeHeader(name, bytes.length, 'file'));
    await write(bytes);
    await write(padding(bytes.length));
  };
  try {
    await writeFile('oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
    await writeFile('index.json', Buffer.from(JSON.stringify(index)));
    await write(encodeHeader('blobs/', 0, 'directory'));
    for (const algorithm of algorithms) await write(encodeHeader(`blobs/${algorithm}/`, 0, 'directory'));
    for (const blob of blobs) {
      const [algorithm, hex] = blob.desc.digest.split(':') as [string, string];
      await write(encodeHeader(`blobs/${algorithm}/${hex}`, blob.desc.size, 'file'));
      if (blob.bytes) await write(blob.bytes);
      else {
        let transferred = 0;
        for await (const chunk of await blob.source.fetch(blob.desc)) {
          await write(chunk as Buffer);
          transferred += (chunk as Buffer).length;
          options.onProgress?.({ type: 'bytes', descriptor: blob.desc, transferred });
        }
      }
      await write(padding(blob.desc.size));
      options.onProgress?.({ type: 'blob-copied', descriptor: blob.desc });
    }
    await write(Buffer.alloc(2 * BLOCK));
    const files = await out.commit();
    return { files, size, artifacts: artifacts.length, blobs: blobs.length };
  } catch (error) {
    await out.abort();
    throw error;
  }
}

function plain(desc: Descriptor): Descriptor {
  return { mediaType: desc.mediaType, digest: desc.digest, size: desc.size };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedObject(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compare(a, b)));
}
