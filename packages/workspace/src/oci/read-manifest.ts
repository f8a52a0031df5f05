/**
 * Read a manifest and a small config blob from any `ContentTarget` (registry repository or image
 * layout), size-capped; the target verifies digests while streaming.
 */
import type {
  ContentTarget,
  Descriptor,
  ImageIndex,
  ImageManifest,
  RegistryRepository,
} from '@provisioning/oci-client';
import {
  checkJsonLimits,
  MAX_MANIFEST_BYTES,
  ProvisioningError,
  parseJsonWithinLimits,
} from '@provisioning/schemas';
import { readCappedStream } from '../repository/read-capped.js';
import { MAX_CONFIG_BLOB_BYTES } from '../source/oci-source.js';

export interface ReadManifest {
  descriptor: Descriptor;
  bytes: Buffer;
  json: ImageManifest | ImageIndex;
}

export async function readManifest(target: ContentTarget, reference: string): Promise<ReadManifest> {
  // A registry repository serves it with one GET (by tag or digest) and remembers the bytes.
  const registry = target as ContentTarget & Partial<Pick<RegistryRepository, 'fetchManifest'>>;
  if (typeof registry.fetchManifest === 'function') {
    const fetched = await registry.fetchManifest(reference);
    return {
      descriptor: fetched.descriptor,
      bytes: fetched.bytes,
      json: parseManifestJson(fetched.bytes, `${target.location}@${fetched.descriptor.digest}`),
    };
  }
  const descriptor = await target.resolve(reference);
  const where = `${target.location}@${descriptor.digest}`;
  const bytes = await readCappedStream(await target.fetch(descriptor), MAX_MANIFEST_BYTES, where);
  return { descriptor, bytes, json: parseManifestJson(bytes, where) };
}

function parseManifestJson(bytes: Buffer, where: string): ImageManifest | ImageIndex {
  checkJsonLimits(bytes, `manifest ${where}`);
  try {
    return JSON.parse(bytes.toString('utf8')) as ImageManifest | ImageIndex;
  } catch (error) {
    throw new ProvisioningError('MANIFEST_INVALID', `${where} is not valid JSON`, {
      kind: 'registry',
      hint: 'the registry returned a broken manifest; check the reference',
      cause: error,
    });
  }
}

/** The config blob parsed as JSON (or undefined when it is not JSON or too big to be metadata). */
export async function readConfigJson(target: ContentTarget, config: Descriptor): Promise<unknown> {
  if (config.size > MAX_CONFIG_BLOB_BYTES) return undefined;
  const bytes = await readCappedStream(
    await target.fetch(config),
    MAX_CONFIG_BLOB_BYTES,
    `${target.location}@${config.digest}`,
  );
  try {
    // Nested too deeply is treated as not metadata, like too big.
    return parseJsonWithinLimits(bytes, `config ${config.digest}`) as unknown;
  } catch {
    return undefined;
  }
}
