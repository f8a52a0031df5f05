/**
 * Reads an OCI image-layout tar archive (a bundle, docs/air-gap.md) in place: one pass over the tar
 * headers finds where each file is, then blobs stream straight from the file (or its parts),
 * verified against their digest. Nothing but `index.json` and asked-for manifests is held in memory.
 * `repository(name)` is a read-only `ContentTarget` of the artifacts whose original reference is in
 * repository `name` (`registry/ns/name`), so `copy` and the resolver read a bundle like a registry.
 */
import type { Readable } from 'node:stream';
import { isValidDigest, MAX_MANIFEST_BYTES, MediaTypes, ProvisioningError } from '@provisioning/schemas';
import {
  isManifestMediaType,
  manifestMediaType,
  parseManifest,
  readCapped,
} from '../layout/manifest-json.js';
import { VerifyingStream } from '../layout/verify-stream.js';
import type { ContentTarget, Descriptor, ImageIndex } from '../types.js';
import { markVerified } from '../verified-stream.js';
import { REF_NAME } from './layout-archive-writer.js';
import { PartedFile } from './parted-file.js';
import { BLOCK, corrupt, decodeHeader } from './tar-header.js';

/** index.json of a bundle naming thousands of artifacts is still small; more is not a bundle. */
const MAX_INDEX_BYTES = 16 * 1024 * 1024;
const MAX_ENTRIES = 1_000_000;

export interface ArchiveEntry {
  /** The original reference (`registry/repository:tag`). */
  reference: string;
  repository: string;
  tag: string;
  descriptor: Descriptor;
}

export class LayoutArchive {
  private constructor(
    readonly file: PartedFile,
    private readonly files: Map<string, { offset: number; size: number }>,
    readonly index: ImageIndex,
    readonly entries: readonly ArchiveEntry[],
  ) {}

  get location(): string {
    return this.file.name;
  }

  /** The parts of a split bundle, or the one file. */
  get paths(): string[] {
    return this.file.parts.map((p) => p.path);
  }

  static async open(path: string): Promise<LayoutArchive> {
    const file = await PartedFile.open(path);
    const where = file.name;
    const files = new Map<string, { offset: number; size: number }>();
    let offset = 0;
    let ended = false;
    let paxPath: string | undefined;
    while (offset + BLOCK <= file.size) {
      if (files.size > MAX_ENTRIES) throw corrupt(where, `more than ${MAX_ENTRIES} entries`);
      const header = decodeHeader(await file.read(offset, BLOCK), where);
      if (header === undefined) {
        ended = true;
        break;
      }
      const start = offset + BLOCK;
      offset = start + Math.ceil(header.size / BLOCK) * BLOCK;
      if (offset > file.size) break;
      if (header.type === 'pax') {
        if (header.size > 64 * 1024) throw corrupt(where, 'an oversized pax header');
        paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(
          (await file.read(start, header.size)).toString('utf8'),
        )?.[1];
        continue;
      }
      const name = (paxPath ?? header.name).replace(/^\.\//, '');
      paxPath = undefined;
      if (header.type === 'file') files.set(name, { offset: start, size: header.size });
    }
    if (!ended) throw corrupt(where, 'the archive ends early (truncated, or a part is missing)');
    const archive = new LayoutArchive(file, files, { schemaVersion: 2, manifests: [] }, []);
    const layout = await archive.readFile('oci-layout', 4096).catch(() => undefined);
    if (!layout || !/"imageLayoutVersion"\s*:\s*"1\.0\.0"/.test(layout.toString('utf8'))) {
      throw corrupt(
        where,
        'no oci-layout file with imageLayoutVersion 1.0.0 (not an OCI image layout archive)',
      );
    }
    const indexBytes = await archive.readFile('index.json', MAX_INDEX_BYTES).catch((error: unknown) => {
      throw error instanceof ProvisioningError ? error : corrupt(where, 'no index.json');
    });
    let index: ImageIndex;
    try {
      index = JSON.parse(indexBytes.toString('utf8')) as ImageIndex;
      if (!Array.isArray(index.manifests)) throw new Error('no manifests');
    } catch {
      throw corrupt(where, 'index.json is not an OCI image index');
    }
    const entries: ArchiveEntry[] = [];
    for (const desc of index.manifests) {
      const reference = desc.annotations?.[REF_NAME];
      if (typeof desc.digest !== 'string' || !isValidDigest(desc.digest)) {
        throw corrupt(where, `index.json names an invalid digest ${JSON.stringify(desc.digest)}`);
      }
      if (!files.has(blobName(desc.digest)))
        throw corrupt(where, `index.json names ${desc.digest}, which is not in it`);
      if (reference === undefined) continue;
      const split = splitReference(reference);
      if (!split) continue;
      entries.push({ reference, ...split, descriptor: desc });
    }
    return new LayoutArchive(file, files, index, entries);
  }

  blobSize(digest: string): number | undefined {
    return isValidDigest(digest) ? this.files.get(blobName(digest))?.size : undefined;
  }

  /** A blob or manifest, verified against `desc` while it streams. */
  async fetch(desc: Descriptor): Promise<Readable> {
    const found = isValidDigest(desc.digest) ? this.files.get(blobName(desc.digest)) : undefined;
    if (!found) {
      throw new ProvisioningError('BLOB_NOT_FOUND', `${desc.digest} is not in the bundle ${this.location}`, {
        kind: 'input',
        hint: 'the bundle is incomplete; create it again with `provisioning bundle create`',
        details: { digest: desc.digest, file: this.location },
      });
    }
    if (found.size !== desc.size)
      throw corrupt(this.location, `${desc.digest} is ${found.size} bytes, not ${desc.size}`);
    const verifier = new VerifyingStream(desc, this.location);
    const source = this.file.stream(found.offset, found.size);
    source.on('error', (error) => verifier.destroy(error));
    return markVerified(source.pipe(verifier), desc);
  }

  /** The descriptor of a manifest in the bundle by digest (media type read from it). */
  async manifestDescriptor(digest: string): Promise<Descriptor | undefined> {
    const listed = this.index.manifests.find((d) => d.digest === digest);
    if (listed) return { mediaType: listed.mediaType, digest, size: listed.size };
    const size = this.blobSize(digest);
    if (size === undefined || size > MAX_MANIFEST_BYTES) return undefined;
    const probe = { mediaType: MediaTypes.ociImageManifest, digest, size };
    const bytes = await readCapped(await this.fetch(probe), MAX_MANIFEST_BYTES, `${this.location}@${digest}`);
    return { ...probe, mediaType: manifestMediaType(parseManifest(bytes, `${this.location}@${digest}`)) };
  }

  /** Repositories (`registry/ns/name`) that artifacts in the bundle come from. */
  repositories(): string[] {
    return [...new Set(this.entries.map((e) => e.repository))].sort();
  }

  repository(name: string): ArchiveRepository {
    return new ArchiveRepository(this, name);
  }

  private async readFile(name: string, limit: number): Promise<Buffer> {
    const found = this.files.get(name);
    if (!found) throw corrupt(this.location, `no ${name}`);
    if (found.size > limit) throw corrupt(this.location, `${name} is larger than ${limit} bytes`);
    return this.file.read(found.offset, found.size);
  }
}

/** The artifacts of one original repository in a bundle; read-only. */
export class ArchiveRepository implements ContentTarget {
  readonly location: string;

  constructor(
    private readonly archive: LayoutArchive,
    readonly name: string,
  ) {
    this.location = `${archive.location} (${name})`;
  }

  async exists(desc: Descriptor): Promise<boolean> {
    return this.archive.blobSize(desc.digest) !== undefined;
  }

  fetch(desc: Descriptor): Promise<Readable> {
    return this.archive.fetch(desc);
  }

  async push(): Promise<void> {
    throw readOnly(this.location);
  }

  async tag(): Promise<void> {
    throw readOnly(this.location);
  }

  async tags(): Promise<string[]> {
    return this.entriesHere().map((e) => e.tag);
  }

  async resolve(reference: string): Promise<Descriptor> {
    const entry = this.entriesHere().find((e) => e.tag === reference || e.descriptor.digest === reference);
    if (entry)
      return {
        mediaType: entry.descriptor.mediaType,
        digest: entry.descriptor.digest,
        size: entry.descriptor.size,
      };
    const byDigest = isValidDigest(reference) ? await this.archive.manifestDescriptor(reference) : undefined;
    if (byDigest && isManifestMediaType(byDigest.mediaType)) return byDigest;
    throw new ProvisioningError(
      'MANIFEST_NOT_FOUND',
      `${this.name}:${reference} is not in the bundle ${this.archive.location}`,
      {
        kind: 'input',
        hint: '`provisioning bundle inspect FILE` lists what the bundle holds',
        details: { reference: `${this.name}:${reference}`, status: 404 },
      },
    );
  }

  private entriesHere(): ArchiveEntry[] {
    return this.archive.entries.filter((e) => e.repository === this.name);
  }
}

function readOnly(location: string): Error {
  return new Error(`${location} is a bundle: it is read-only`);
}

function blobName(digest: string): string {
  const [algorithm, hex] = digest.split(':') as [string, string];
  return `blobs/${algorithm}/${hex}`;
}

/** `registry/ns/name:tag` → repository and tag (the last `:` after the last `/`). */
export function splitReference(reference: string): { repository: string; tag: string } | undefined {
  const slash = reference.lastIndexOf('/');
  const colon = reference.lastIndexOf(':');
  if (colon <= slash || colon === reference.length - 1) return undefined;
  return { repository: reference.slice(0, colon), tag: reference.slice(colon + 1) };
}
