/**
 * `oci pull NAME[:VERSION]`: fetch an extension into the content-addressed cache (every blob
 * verified on the way in), then unpack its layer safely into a directory — by default `./NAME`,
 * like `helm pull --untar`. Without a version the highest semver tag is pulled. An existing
 * non-empty directory is only replaced (atomically) with `force`.
 */

import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import {
  type ContentTarget,
  type CopyProgressEvent,
  copy,
  type Descriptor,
  fetchInto,
  type OciLayout,
  openBlobFile,
} from '@provisioning/oci-client';
import { unpackExtension } from '@provisioning/packager';
import { ProvisioningError, repositoryBasename } from '@provisioning/schemas';
import { extensionParts } from '../source/extension-artifact.js';
import { countBytes } from './count-bytes.js';
import { whenFound } from './not-found.js';
import { formatOpenedReference, type OciSession, type OpenedTarget } from './oci-session.js';
import { readManifest } from './read-manifest.js';
import { latestTag } from './tag-order.js';
import { withVersionTagFallback } from './version-tag-fallback.js';

export interface PullExtensionOptions {
  /** Directory to unpack into (default `<cwd>/<name>`). */
  output?: string;
  /** Replace a non-empty output directory. */
  force?: boolean;
  cwd?: string;
  onProgress?(event: CopyProgressEvent): void;
}

export interface PullExtensionResult {
  name: string;
  version: string;
  type: string;
  reference: string;
  digest: string;
  layerDigest: string;
  layerSize: number;
  output: string;
  files: number;
  /** False when every blob was already cached. */
  downloaded: boolean;
}

export async function pullExtension(
  session: OciSession,
  input: string,
  options: PullExtensionOptions = {},
): Promise<PullExtensionResult> {
  const opened = await session.open(input);
  const asked =
    opened.reference ?? (await whenFound(session, opened, undefined, () => newestTag(opened, input)));
  const { tag: reference, value: manifest } = await whenFound(session, opened, asked, () =>
    withVersionTagFallback(asked, (tag) => readManifest(opened.target, tag)),
  );
  const display = formatOpenedReference(opened, reference);
  const { layer } = extensionParts(manifest.json, display);

  let source: ContentTarget = opened.target;
  let cached: OciLayout | undefined;
  let downloaded = false;
  const fillCache = async (layout: OciLayout) => {
    // The layer first, explicitly: `copy` stops at a manifest that is already cached, and a cached
    // manifest does not prove its layer is there (or intact).
    if (!(await layout.exists(layer))) {
      await fetchInto(opened.target, layer, (content) =>
        layout.push(layer, countBytes(content, layer, options.onProgress)),
      );
      options.onProgress?.({ type: 'blob-copied', descriptor: layer });
    }
    await copy(opened.target, manifest.descriptor.digest, layout, manifest.descriptor.digest, {
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    downloaded = true;
  };
  if (opened.kind === 'registry' && opened.parsed) {
    cached = await session.cache.repository(opened.parsed.registry, opened.parsed.repository);
    if (!cached) throw new Error('unreachable: cache repository not created');
    if (!(await cached.exists(manifest.descriptor)) || !(await cached.exists(layer))) await fillCache(cached);
    if (!reference.includes(':')) await cached.tag(manifest.descriptor, reference);
    source = cached;
  }

  const name = opened.parsed ? repositoryBasename(opened.parsed) : undefined;
  const output = path.resolve(options.cwd ?? process.cwd(), options.output ?? name ?? 'extension');
  const unpack = async () => {
    // From the cache the file is read as is: unpack checks size and digest itself before anything
    // is moved into place, so a second verifying read would only hash the same bytes twice.
    const stream = cached
      ? openBlobFile(cached.blobPath(layer.digest), layer.size)
      : await source.fetch(layer);
    // unpack reports the failure; a verification error the stream emits after unpack gave up
    // (e.g. on a gzip error first) must not surface as an uncaught exception
    stream.on('error', () => {});
    return unpackExtension(stream, output, {
      expectedDigest: layer.digest,
      expectedSize: layer.size,
      overwrite: options.force ?? false,
    });
  };
  let unpacked: Awaited<ReturnType<typeof unpackExtension>>;
  try {
    try {
      unpacked = await unpack();
    } catch (error) {
      // A cached blob that no longer matches its digest (disk damage, tampering) fails the verified
      // read or the gunzip before anything is written. Drop it and fetch it once more.
      if (!cached || isTargetExists(error) || (await blobIntact(cached, layer))) throw error;
      await rm(cached.blobPath(layer.digest), { force: true });
      await fillCache(cached);
      unpacked = await unpack();
    }
  } catch (error) {
    if (isTargetExists(error)) {
      throw new ProvisioningError('TARGET_EXISTS', `${output} already exists and is not empty`, {
        kind: 'input',
        hint: 'pass --force to replace it, or choose another directory with --output',
        details: { dir: output },
      });
    }
    throw error;
  }
  const meta = unpacked.ociManifest;
  return {
    name: meta.name,
    version: meta.version,
    type: meta.type,
    reference: display,
    digest: manifest.descriptor.digest,
    layerDigest: layer.digest,
    layerSize: layer.size,
    output: unpacked.dir,
    files: unpacked.files,
    downloaded,
  };
}

async function newestTag(opened: OpenedTarget, input: string): Promise<string> {
  const tag = latestTag(await opened.target.tags());
  if (!tag) {
    throw new ProvisioningError(
      'NO_VERSIONS',
      `${opened.name} has no version tags (from ${JSON.stringify(input)})`,
      {
        kind: 'input',
        hint: 'push a version first, or name one: NAME:VERSION',
      },
    );
  }
  return tag;
}

function isTargetExists(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'TARGET_EXISTS';
}

/** Does the cached file still hash to its digest? */
async function blobIntact(layout: OciLayout, desc: Descriptor): Promise<boolean> {
  const [algorithm, hex] = desc.digest.split(':') as [string, string];
  const hash = createHash(algorithm);
  try {
    for await (const chunk of openBlobFile(layout.blobPath(desc.digest), desc.size))
      hash.update(chunk as Buffer);
  } catch {
    return false;
  }
  return hash.digest('hex') === hex;
}
