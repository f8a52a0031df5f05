/**
 * `oci pull NAME[:VERSION]`: fetch an extension into the content-addressed cache (every blob
 * verified on the way in), then unpack its layer safely into a directory — by default `./NAME`,
 * like `helm pull --untar`. Without a version the highest semver tag is pulled. An existing
 * non-empty directory is only replaced (atomically) with `force`.
 */
import path from 'node:path';
import { type ContentTarget, type CopyProgressEvent, copy } from '@provisioning/oci-client';
import { unpackExtension } from '@provisioning/packager';
import { ProvisioningError, repositoryBasename } from '@provisioning/schemas';
import { extensionLayer } from './extension-artifact.js';
import { formatOpenedReference, type OciSession, type OpenedTarget } from './oci-session.js';
import { readManifest } from './read-manifest.js';
import { latestTag } from './tag-order.js';

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
  const reference = opened.reference ?? (await newestTag(opened, input));
  const display = formatOpenedReference(opened, reference);
  const manifest = await readManifest(opened.target, reference);
  const layer = extensionLayer(manifest.json, display);

  let source: ContentTarget = opened.target;
  let downloaded = false;
  if (opened.kind === 'registry' && opened.parsed) {
    const cached = await session.cache.repository(opened.parsed.registry, opened.parsed.repository);
    if (!cached) throw new Error('unreachable: cache repository not created');
    if (!(await cached.exists(manifest.descriptor)) || !(await cached.exists(layer))) {
      await copy(opened.target, manifest.descriptor.digest, cached, manifest.descriptor.digest, {
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      downloaded = true;
    }
    if (!reference.includes(':')) await cached.tag(manifest.descriptor, reference);
    source = cached;
  }

  const name = opened.parsed ? repositoryBasename(opened.parsed) : undefined;
  const cwd = options.cwd ?? process.cwd();
  const output = path.resolve(cwd, options.output ?? name ?? 'extension');
  let unpacked: Awaited<ReturnType<typeof unpackExtension>>;
  try {
    unpacked = await unpackExtension(await source.fetch(layer), output, {
      expectedDigest: layer.digest,
      expectedSize: layer.size,
      overwrite: options.force ?? false,
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'TARGET_EXISTS') {
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
