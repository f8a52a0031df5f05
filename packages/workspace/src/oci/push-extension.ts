/**
 * `oci push DIR NAME VERSION`: package the extension (deterministic, validated) and push config,
 * layer and manifest to `REGISTRY/<namespace>/NAME:VERSION` — or into the embedded layout storage
 * when the registry type is `oci-layout`. The layer streams from the tarball on disk.
 */
import type { KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  type ContentTarget,
  type CopyProgressEvent,
  type Descriptor,
  openBlobFile,
  reopenable,
} from '@provisioning/oci-client';
import { packExtension } from '@provisioning/packager';
import { formatReference, ProvisioningError, versionFromTag } from '@provisioning/schemas';
import { isNotFound } from '../repository/not-found-error.js';
import { signManifest } from '../signing/sign-manifest.js';
import { countBytes } from './count-bytes.js';
import type { OciSession } from './oci-session.js';

export interface PushExtensionOptions {
  /** When given, must equal the manifest's name. */
  name?: string;
  /** When given, must equal the manifest's version (a leading `v` is accepted). */
  version?: string;
  /** Move an existing version to different content (published versions are otherwise immutable). */
  force?: boolean;
  onProgress?(event: CopyProgressEvent): void;
  /** Sign what was pushed (or found unchanged) in the same run (docs/signing.md). */
  signKey?: KeyObject;
}

export interface PushExtensionResult {
  name: string;
  version: string;
  type: string;
  /** `registry/namespace/name:version`. */
  reference: string;
  digest: string;
  size: number;
  layerDigest: string;
  layerSize: number;
  configDigest: string;
  /** `unchanged`: the version already held this content (nothing pushed); `replaced`: --force moved it. */
  outcome: 'pushed' | 'unchanged' | 'replaced';
  /** The digest the version pointed at before, when it was replaced. */
  previousDigest?: string;
  /** With `signKey`: the signature manifest at `sha256-<hex>.sig`. */
  signature?: { reference: string; digest: string; count: number };
}

interface ManifestPusher {
  pushManifest?(bytes: Uint8Array, mediaType: string, reference?: string): Promise<Descriptor>;
}

export async function pushExtension(
  session: OciSession,
  dir: string,
  options: PushExtensionOptions = {},
): Promise<PushExtensionResult> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'provisioning-push-'));
  try {
    const packed = await packExtension(dir, { outputDir: scratch });
    const { name, version, type } = packed.manifest;
    checkMatches(dir, 'name', options.name, name);
    if (options.version !== undefined) {
      checkMatches(dir, 'version', versionFromTag(options.version) ?? options.version, version);
    }
    const opened = await session.open(`${name}:${version}`, { create: true });
    const target = opened.target;
    const config = packed.config.descriptor as Descriptor;
    const layer = packed.layer.descriptor as Descriptor;
    const manifest = packed.imageManifestDescriptor as Descriptor;
    const parsed = opened.parsed ?? session.parse(`${name}:${version}`);
    const reference = formatReference({
      registry: parsed.registry,
      repository: parsed.repository,
      tag: version,
    });
    const result = {
      name,
      version,
      type,
      reference,
      digest: manifest.digest,
      size: manifest.size,
      layerDigest: layer.digest,
      layerSize: layer.size,
      configDigest: config.digest,
    };

    // A published version is immutable (docs/architecture.md, "Artifact format"): the same content
    // again is a no-op, different content is refused unless forced.
    const previous = await target.resolve(version).then(
      (d) => d.digest,
      (err: unknown) => {
        if (isNotFound(err)) return undefined;
        throw err;
      },
    );
    const signed = async () =>
      options.signKey
        ? {
            signature: await signManifest(target, manifest, {
              key: options.signKey,
              identity: `${parsed.registry}/${parsed.repository}`,
              name: formatReference({ registry: parsed.registry, repository: parsed.repository }),
            }),
          }
        : {};
    if (previous === manifest.digest) return { ...result, outcome: 'unchanged', ...(await signed()) };
    if (previous !== undefined && !options.force) {
      throw new ProvisioningError(
        'VERSION_EXISTS',
        `${reference} is already published with other content (${previous}); this push would make it ${manifest.digest}`,
        {
          kind: 'input',
          hint: `bump version: in ${path.join(dir, 'manifest.yaml')}, or pass --force to move ${version} to the new content`,
          details: { reference, publishedDigest: previous, newDigest: manifest.digest },
        },
      );
    }

    await pushBlob(target, config, packed.config.bytes, options);
    await pushBlob(target, layer, () => openBlobFile(packed.layer.path, layer.size), options);
    const pusher = target as ContentTarget & ManifestPusher;
    if (typeof pusher.pushManifest === 'function') {
      await pusher.pushManifest(packed.imageManifestBytes, manifest.mediaType, version);
    } else {
      await target.push(manifest, packed.imageManifestBytes);
      await target.tag(manifest, version);
    }
    options.onProgress?.({ type: 'manifest-copied', descriptor: manifest });
    const signature = await signed();
    return previous === undefined
      ? { ...result, outcome: 'pushed', ...signature }
      : { ...result, outcome: 'replaced', previousDigest: previous, ...signature };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function pushBlob(
  target: ContentTarget,
  desc: Descriptor,
  content: Uint8Array | (() => Readable),
  options: PushExtensionOptions,
): Promise<void> {
  if (await target.exists(desc)) {
    options.onProgress?.({ type: 'blob-exists', descriptor: desc });
    return;
  }
  // The file is opened again if the registry makes the upload start over (docs/oci.md).
  const body =
    content instanceof Uint8Array
      ? content
      : reopenable(() => countBytes(content(), desc, options.onProgress));
  await target.push(desc, body);
  options.onProgress?.({ type: 'blob-copied', descriptor: desc });
}

function checkMatches(dir: string, key: 'name' | 'version', given: string | undefined, actual: string): void {
  if (given === undefined || given === actual) return;
  throw new ProvisioningError(
    key === 'name' ? 'EXTENSION_NAME_MISMATCH' : 'EXTENSION_VERSION_MISMATCH',
    `${path.join(dir, 'manifest.yaml')}: ${key} is ${JSON.stringify(actual)}, not ${JSON.stringify(given)}`,
    {
      kind: 'input',
      hint:
        key === 'name'
          ? `push it as ${actual}, or change name: in manifest.yaml`
          : `push it as ${actual}, or bump version: in manifest.yaml first`,
      details: { [key]: actual, given },
    },
  );
}
