/**
 * The signature manifest cosign reads (docs/signing.md, "Format"): an OCI image manifest tagged
 * `sha256-<hex>.sig` in the signed artifact's repository, one layer per signature (the payload blob,
 * the signature in an annotation). The config is a minimal image config listing the layers.
 */
import { MediaTypes, parseDigest } from '@provisioning/schemas';
import { digestOf } from '../layout/digest.js';
import type { Descriptor, ImageManifest } from '../types.js';

export const SIGNATURE_LAYER_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
/** `artifactType` of the referrer attached where the registry has the referrers API. */
export const SIGNATURE_ARTIFACT_TYPE = 'application/vnd.dev.cosign.artifact.sig.v1+json';

/** `sha256-<hex>.sig`: where cosign looks for signatures of `digest`. */
export function signatureTag(digest: string): string {
  const { algorithm, hex } = parseDigest(digest);
  return `${algorithm}-${hex}.sig`;
}

export function isSignatureTag(tag: string): boolean {
  return /^sha(256|512)-[a-f0-9]+\.sig$/.test(tag);
}

export interface InlineBlob {
  descriptor: Descriptor;
  bytes: Buffer;
}

export function blobOf(mediaType: string, bytes: Buffer, annotations?: Record<string, string>): InlineBlob {
  return {
    descriptor: {
      mediaType,
      digest: digestOf(bytes),
      size: bytes.length,
      ...(annotations ? { annotations } : {}),
    },
    bytes,
  };
}

/** Config + manifest for these signature layers; with `subject`, the referrer form of it. */
export function signatureManifest(
  layers: Descriptor[],
  subject?: Descriptor,
): { config: InlineBlob; manifest: InlineBlob } {
  const config = blobOf(
    MediaTypes.ociImageConfig,
    Buffer.from(
      JSON.stringify({
        architecture: '',
        os: '',
        config: {},
        rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.digest) },
      }),
    ),
  );
  const json: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaTypes.ociImageManifest,
    ...(subject ? { artifactType: SIGNATURE_ARTIFACT_TYPE } : {}),
    config: config.descriptor,
    layers,
    ...(subject
      ? { subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size } }
      : {}),
  };
  return { config, manifest: blobOf(MediaTypes.ociImageManifest, Buffer.from(JSON.stringify(json))) };
}
