import { randomBytes } from 'node:crypto';
import { realpath, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { type ExtensionManifest, makeDirectory, ProvisioningError } from '@provisioning/schemas';
import { OCI_MANIFEST_FILE } from '../extension-layout.js';
import { compareStrings, type ExtensionProblem, formatExtensionProblem } from '../problems.js';
import { inspectExtension } from '../validate/inspect-extension.js';
import { buildArtifact, tarballName } from './artifact.js';
import { hashFile } from './digest-stream.js';
import { serializeOciManifestFile } from './oci-manifest-file.js';
import type { OciDescriptor, OciImageManifest } from './oci-types.js';
import { resolveSourceDateEpoch } from './source-date-epoch.js';
import { type TarballItem, type WrittenHashes, writeTarball } from './write-tarball.js';

export interface PackOptions {
  /** Where `NAME-VERSION.tar.gz` goes (created if missing); default: the current directory. */
  outputDir?: string;
  /** Tar mtime in seconds; default `SOURCE_DATE_EPOCH`, else 0. */
  sourceDateEpoch?: number;
  /** Adds `org.opencontainers.image.created` (breaks reproducible manifest digests). */
  created?: Date | string;
  /** Environment to read `SOURCE_DATE_EPOCH` from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

/** Everything an OCI client needs to push the extension, unchanged. */
export interface PackResult {
  tarballPath: string;
  manifest: ExtensionManifest;
  config: { descriptor: OciDescriptor; bytes: Uint8Array };
  layer: { descriptor: OciDescriptor; path: string };
  imageManifest: OciImageManifest;
  imageManifestBytes: Uint8Array;
  imageManifestDescriptor: OciDescriptor;
}

/**
 * Validates `dir`, then streams it into a deterministic `OUT/NAME-VERSION.tar.gz` (with a
 * generated `oci-manifest.json`) and builds the OCI config, layer and image manifest around it.
 * The tarball is written under a temporary name and renamed into place when complete.
 */
export async function packExtension(dir: string, options: PackOptions = {}): Promise<PackResult> {
  const inspection = await inspectExtension(dir);
  const manifest = inspection.manifest;
  if (inspection.problems.length > 0 || !manifest) throw invalidExtension(dir, inspection.problems);
  const mtime = resolveSourceDateEpoch(options.sourceDateEpoch, options.env);

  const outputDir = path.resolve(options.outputDir ?? process.cwd());
  await makeDirectory(outputDir);
  const realRoot = await realpath(inspection.root);
  const realOut = await realpath(outputDir);
  if (realOut === realRoot || realOut.startsWith(realRoot + path.sep)) {
    throw new ProvisioningError(
      'OUTPUT_INSIDE_EXTENSION',
      `output directory ${outputDir} is inside the extension ${dir}`,
      {
        kind: 'usage',
        hint: 'write the tarball somewhere else, e.g. --output ./dist; packing into the tree would change it',
      },
    );
  }

  // Files sorted before oci-manifest.json are hashed while they are written (one read each): the
  // manifest member is generated only when its turn comes. Files after it are hashed up front.
  const items: TarballItem[] = [];
  const files: { path: string; size: number; sha256?: string }[] = [];
  for (const entry of inspection.entries) {
    if (entry.type === 'directory') {
      items.push({ path: entry.path, type: 'directory' });
      continue;
    }
    const before = compareStrings(entry.path, OCI_MANIFEST_FILE) < 0;
    const { sha256, size } = before
      ? { sha256: undefined, size: entry.size }
      : await hashFile(entry.absolutePath, entry.size);
    files.push({ path: entry.path, size, sha256 });
    items.push({
      path: entry.path,
      type: 'file',
      source: entry.absolutePath,
      size,
      sha256,
      executable: entry.executable,
    });
  }
  const written: WrittenHashes = new Map();
  items.push({
    path: OCI_MANIFEST_FILE,
    type: 'file',
    bytes: () =>
      serializeOciManifestFile({
        name: manifest.name,
        version: manifest.version,
        type: manifest.type,
        files: files.map((f) => ({ ...f, sha256: f.sha256 ?? (written.get(f.path) as string) })),
      }),
  });

  const tarballPath = path.join(outputDir, tarballName(manifest));
  const temporary = path.join(outputDir, `.${tarballName(manifest)}.${randomBytes(6).toString('hex')}.tmp`);
  let blob: { digest: string; size: number };
  try {
    blob = await writeTarball(items, temporary, mtime, { written });
    await rename(temporary, tarballPath);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }

  const created = options.created instanceof Date ? options.created.toISOString() : options.created;
  const artifact = buildArtifact(manifest, blob, { created });
  return {
    tarballPath,
    manifest,
    config: artifact.config,
    layer: { descriptor: artifact.layer, path: tarballPath },
    imageManifest: artifact.imageManifest,
    imageManifestBytes: artifact.imageManifestBytes,
    imageManifestDescriptor: artifact.imageManifestDescriptor,
  };
}

function invalidExtension(dir: string, problems: ExtensionProblem[]): ProvisioningError {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const lines = problems.map((p) => `  ${formatExtensionProblem(p)}`);
  return new ProvisioningError(
    'EXTENSION_INVALID',
    [`extension ${dir} is not valid (${count}):`, ...lines].join('\n'),
    {
      kind: 'input',
      hint: `fix the problems listed, then check with \`provisioning oci package validate ${dir}\``,
      details: { dir, problems },
    },
  );
}
