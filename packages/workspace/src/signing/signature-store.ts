/**
 * Signatures on any `ContentTarget` (registry repository, built-in server, image layout): read the
 * cosign signature manifest of a digest, and add one signature to it keeping the others
 * (docs/signing.md, "Format"). Where the storage lists referrers, the same layers are attached once
 * more as a referrer of the signed manifest.
 */
import type { KeyObject } from 'node:crypto';
import {
  blobOf,
  type ContentTarget,
  type Descriptor,
  type ImageManifest,
  MAX_PAYLOAD_BYTES,
  SIGNATURE_ANNOTATION,
  SIGNATURE_ARTIFACT_TYPE,
  SIGNATURE_LAYER_MEDIA_TYPE,
  signatureManifest,
  signatureTag,
  verifyPayload,
} from '@provisioning/oci-client';
import { MAX_MANIFEST_BYTES, ProvisioningError } from '@provisioning/schemas';
import { isNotFound } from '../repository/not-found-error.js';
import { readCappedStream } from '../repository/read-capped.js';

export interface SignatureEntry {
  layer: Descriptor;
  payload: Buffer;
  /** Base64 DER, from the layer annotation (empty when missing). */
  signature: string;
}

export interface SignatureSet {
  /** The signature manifest (`sha256-<hex>.sig`). */
  descriptor: Descriptor;
  entries: SignatureEntry[];
}

/**
 * The signature manifest at `reference` — the `.sig` tag of `subjectDigest`, or a signature manifest
 * digest (a lockfile's) — or undefined when there is none.
 */
export async function readSignatures(
  target: ContentTarget,
  options: { subjectDigest: string } | { signatureDigest: string },
): Promise<SignatureSet | undefined> {
  const reference =
    'subjectDigest' in options ? signatureTag(options.subjectDigest) : options.signatureDigest;
  let descriptor: Descriptor;
  try {
    descriptor = await target.resolve(reference);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  const where = `${target.location}@${descriptor.digest}`;
  const bytes = await readCappedStream(await target.fetch(descriptor), MAX_MANIFEST_BYTES, where);
  const manifest = parseSignatureManifest(bytes, where);
  const entries: SignatureEntry[] = [];
  for (const layer of manifest.layers) {
    if (layer.mediaType !== SIGNATURE_LAYER_MEDIA_TYPE || layer.size > MAX_PAYLOAD_BYTES) continue;
    const payload = await readCappedStream(
      await target.fetch(layer),
      MAX_PAYLOAD_BYTES,
      `${where} layer ${layer.digest}`,
    );
    const signature = layer.annotations?.[SIGNATURE_ANNOTATION];
    entries.push({ layer, payload, signature: typeof signature === 'string' ? signature : '' });
  }
  return { descriptor, entries };
}

export interface WrittenSignature {
  /** The signature manifest now at the `.sig` tag. */
  descriptor: Descriptor;
  tag: string;
  /** How many signatures the manifest holds now. */
  count: number;
  /** The referrer manifest, where the storage lists referrers. */
  referrer?: Descriptor;
  /** The same signature was already there: nothing written. */
  unchanged: boolean;
}

/**
 * Add a signature layer (payload + base64 signature) to the `.sig` manifest of `subject`. With
 * `signer` (the signing key's public half), a layer over the same payload that this key already
 * signed counts as the same signature: ECDSA signatures differ on every run, so comparing them
 * byte for byte would add a duplicate each time.
 */
export async function writeSignature(
  target: ContentTarget,
  subject: Descriptor,
  payload: Buffer,
  signature: string,
  signer?: KeyObject,
): Promise<WrittenSignature> {
  const tag = signatureTag(subject.digest);
  const existing = await readSignatures(target, { subjectDigest: subject.digest });
  const layer = blobOf(SIGNATURE_LAYER_MEDIA_TYPE, payload, { [SIGNATURE_ANNOTATION]: signature });
  const kept = existing?.entries.map((entry) => entry.layer) ?? [];
  const already = existing?.entries.some(
    (entry) =>
      entry.layer.digest === layer.descriptor.digest &&
      (entry.signature === signature ||
        (signer !== undefined && verifyPayload(signer, entry.payload, entry.signature))),
  );
  if (existing && already) {
    return { descriptor: existing.descriptor, tag, count: kept.length, unchanged: true };
  }
  const layers = [...kept, layer.descriptor];
  if (!(await target.exists(layer.descriptor))) await target.push(layer.descriptor, layer.bytes);
  const { config, manifest } = signatureManifest(layers);
  if (!(await target.exists(config.descriptor))) await target.push(config.descriptor, config.bytes);
  await target.push(manifest.descriptor, manifest.bytes, { tag });
  const referrer = (await listsReferrers(target)) ? await attachReferrer(target, subject, layers) : undefined;
  return {
    descriptor: manifest.descriptor,
    tag,
    count: layers.length,
    unchanged: false,
    ...(referrer ? { referrer } : {}),
  };
}

interface ReferrerCapable {
  hasReferrersApi?(): Promise<boolean>;
  referrers?(subject: string): Promise<unknown>;
  addManifest?(desc: Descriptor): Promise<void>;
}

/** A registry with the referrers API, or an image layout (which lists referrers from index.json). */
async function listsReferrers(target: ContentTarget): Promise<boolean> {
  const capable = target as ContentTarget & ReferrerCapable;
  if (typeof capable.hasReferrersApi === 'function') return capable.hasReferrersApi();
  return typeof capable.addManifest === 'function' && typeof capable.referrers === 'function';
}

async function attachReferrer(
  target: ContentTarget,
  subject: Descriptor,
  layers: Descriptor[],
): Promise<Descriptor> {
  const { config, manifest } = signatureManifest(layers, subject);
  if (!(await target.exists(config.descriptor))) await target.push(config.descriptor, config.bytes);
  await target.push(manifest.descriptor, manifest.bytes);
  await (target as ContentTarget & ReferrerCapable).addManifest?.(manifest.descriptor);
  return { ...manifest.descriptor, artifactType: SIGNATURE_ARTIFACT_TYPE };
}

function parseSignatureManifest(bytes: Buffer, where: string): ImageManifest {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    json = undefined;
  }
  const manifest = json as Partial<ImageManifest> | undefined;
  if (
    typeof manifest !== 'object' ||
    manifest === null ||
    !Array.isArray(manifest.layers) ||
    !manifest.layers.every(
      (l) =>
        typeof l === 'object' &&
        l !== null &&
        typeof l.digest === 'string' &&
        typeof l.mediaType === 'string' &&
        typeof l.size === 'number',
    )
  ) {
    throw new ProvisioningError(
      'SIGNATURE_PAYLOAD_INVALID',
      `signature manifest ${where} is not an OCI image manifest with layers`,
      {
        kind: 'input',
        hint: 'the .sig tag holds something else; remove it and sign again',
        details: { signature: where },
      },
    );
  }
  return manifest as ImageManifest;
}
