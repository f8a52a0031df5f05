/**
 * Reading manifests as data: which media types are manifests, which media type a stored manifest
 * has, and which descriptors it points at. Used by layout GC, copy and the registry server.
 */

import type { Readable } from 'node:stream';
import {
  checkJsonLimits,
  MANIFEST_MEDIA_TYPES,
  MAX_MANIFEST_BYTES,
  MediaTypes,
  ProvisioningError,
} from '@provisioning/schemas';
import { readCappedBytes } from '../read-capped.js';
import type { Descriptor, ImageIndex, ImageManifest } from '../types.js';

const INDEX_TYPES = new Set<string>([MediaTypes.ociImageIndex, MediaTypes.dockerManifestList]);
const MANIFEST_TYPES = new Set<string>(MANIFEST_MEDIA_TYPES);

export function isManifestMediaType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && MANIFEST_TYPES.has(mediaType);
}

export function isIndexMediaType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && INDEX_TYPES.has(mediaType);
}

export type ParsedManifest = ImageManifest | ImageIndex;

/**
 * Parse manifest bytes; `MANIFEST_INVALID` when they are not a JSON object with schemaVersion 2,
 * `INPUT_TOO_DEEP` / `INPUT_TOO_LARGE` (checked before parsing) when they are over the limits.
 */
export function parseManifest(bytes: Uint8Array, where: string): ParsedManifest {
  checkJsonLimits(bytes, `manifest in ${where}`);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (cause) {
    throw manifestInvalid(`manifest in ${where} is not valid JSON`, where, cause);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw manifestInvalid(`manifest in ${where} is not a JSON object`, where);
  }
  const record = value as Record<string, unknown>;
  if (record.schemaVersion !== 2) {
    throw manifestInvalid(
      `manifest in ${where} has schemaVersion ${String(record.schemaVersion)}, expected 2`,
      where,
    );
  }
  const isIndex = Array.isArray(record.manifests);
  if (!isIndex && (typeof record.config !== 'object' || !Array.isArray(record.layers))) {
    throw manifestInvalid(`manifest in ${where} has neither config+layers nor manifests`, where);
  }
  return record as unknown as ParsedManifest;
}

/** The media type of a parsed manifest: its own `mediaType`, else guessed from its shape (OCI). */
export function manifestMediaType(manifest: ParsedManifest): string {
  if (typeof manifest.mediaType === 'string' && manifest.mediaType !== '') return manifest.mediaType;
  return 'manifests' in manifest ? MediaTypes.ociImageIndex : MediaTypes.ociImageManifest;
}

/** Descriptors a manifest references that must be present for it to be complete (not `subject`). */
export function manifestChildren(manifest: ParsedManifest): Descriptor[] {
  if ('manifests' in manifest && Array.isArray(manifest.manifests)) return [...manifest.manifests];
  const image = manifest as ImageManifest;
  return [image.config, ...image.layers];
}

/** The `artifactType` of a manifest as the referrers API reports it. */
export function manifestArtifactType(manifest: ParsedManifest): string | undefined {
  if (typeof manifest.artifactType === 'string') return manifest.artifactType;
  const config = (manifest as Partial<ImageManifest>).config;
  if (config && typeof config.mediaType === 'string') return config.mediaType;
  return undefined;
}

/** Read a manifest whole, refusing more than `limit` bytes (`MANIFEST_TOO_LARGE` naming `where`). */
export function readCapped(stream: Readable, limit: number, where: string): Promise<Buffer> {
  return readCappedBytes(stream, limit, () => manifestTooLarge(where, limit));
}

export function manifestTooLarge(where: string, limit = MAX_MANIFEST_BYTES): ProvisioningError {
  return new ProvisioningError('MANIFEST_TOO_LARGE', `manifest in ${where} is larger than ${limit} bytes`, {
    hint: 'manifests are capped in size to protect against resource exhaustion; check the source',
    details: { where, limit },
  });
}

function manifestInvalid(message: string, where: string, cause?: unknown): ProvisioningError {
  return new ProvisioningError('MANIFEST_INVALID', message, {
    hint: 'the manifest must be an OCI or Docker v2 image manifest or index',
    cause,
    details: { where },
  });
}
