/**
 * `index.json` of an image layout as data: reading it defensively (size-capped, shape-checked) and
 * the descriptor helpers for its entries (tags are entries with `org.opencontainers.image.ref.name`).
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { Annotations, ProvisioningError } from '@provisioning/schemas';
import type { Descriptor } from '../types.js';
import { manifestArtifactType, manifestMediaType, type ParsedManifest } from './manifest-json.js';

/** index.json is metadata; refuse absurd sizes rather than exhausting memory. */
const MAX_INDEX_BYTES = 64 * 1024 * 1024;

export interface IndexDocument {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
  [key: string]: unknown;
}

/** Parse index.json; a missing file is an empty index (some writers create it lazily). */
export async function readIndexFile(file: string): Promise<IndexDocument> {
  let text: string;
  try {
    // synchronous: every layout update reads the index, a small file
    const fd = openSync(file, 'r');
    try {
      const { size } = fstatSync(fd);
      if (size > MAX_INDEX_BYTES) throw indexInvalid(file, `${file} is larger than ${MAX_INDEX_BYTES} bytes`);
      text = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { schemaVersion: 2, manifests: [] };
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw indexInvalid(file, `${file} is not valid JSON`, cause);
  }
  const doc = parsed as Partial<IndexDocument> | null;
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.manifests)) {
    throw indexInvalid(file, `${file} has no manifests array`);
  }
  return doc as IndexDocument;
}

function indexInvalid(file: string, message: string, cause?: unknown): ProvisioningError {
  return new ProvisioningError('LAYOUT_INVALID', message, {
    kind: 'input',
    hint: 'index.json must be an OCI image index; restore it or recreate the layout',
    cause,
    details: { file },
  });
}

export function refName(desc: Descriptor): string | undefined {
  return desc.annotations?.[Annotations.refName];
}

export function findTag(index: IndexDocument, tag: string): Descriptor | undefined {
  // Last entry wins when a foreign writer left duplicates.
  return index.manifests.findLast((m) => refName(m) === tag);
}

/** The descriptor without the index-only ref.name annotation. */
export function plainDescriptor(desc: Descriptor): Descriptor {
  const { annotations, ...rest } = desc;
  const out: Descriptor = { ...rest };
  if (annotations) {
    const { [Annotations.refName]: _dropped, ...others } = annotations;
    if (Object.keys(others).length > 0) out.annotations = others;
  }
  return out;
}

export function descriptorForManifest(manifest: ParsedManifest, digest: string, size: number): Descriptor {
  const desc: Descriptor = { mediaType: manifestMediaType(manifest), digest, size };
  if (typeof manifest.artifactType === 'string') desc.artifactType = manifest.artifactType;
  return desc;
}

/** A manifest as the referrers API lists it: media type, digest, size, artifactType, annotations. */
export function referrerDescriptor(manifest: ParsedManifest, entry: Descriptor): Descriptor {
  const desc: Descriptor = { mediaType: manifestMediaType(manifest), digest: entry.digest, size: entry.size };
  const artifactType = manifestArtifactType(manifest);
  if (artifactType !== undefined) desc.artifactType = artifactType;
  if (manifest.annotations && Object.keys(manifest.annotations).length > 0) {
    desc.annotations = { ...manifest.annotations };
  }
  return desc;
}
