import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { ProvisioningError } from '@provisioning/schemas';
import * as tar from 'tar-stream';
import { OCI_MANIFEST_FILE } from '../extension-layout.js';
import { DigestStream } from '../pack/digest-stream.js';
import { type OciManifestFile, parseOciManifestFile } from '../pack/oci-manifest-file.js';
import { aliasKey, entryNameProblem } from '../tree/entry-name.js';
import { archiveLimit, digestMismatch, printable, unsafeArchive } from './archive-errors.js';
import { DEFAULT_UNPACK_LIMITS, MAX_OCI_MANIFEST_FILE_BYTES, type UnpackLimits } from './limits.js';

export interface UnpackOptions {
  /** Digest of the compressed stream (the layer digest); checked before anything is moved into place. */
  expectedDigest?: string;
  /** Size of the compressed stream in bytes (the layer size). */
  expectedSize?: number;
  limits?: Partial<UnpackLimits>;
  /** Replace an existing non-empty `dir` (atomically, after verification). Default: refuse. */
  overwrite?: boolean;
}

export interface UnpackResult {
  dir: string;
  /** Digest of the compressed stream as received. */
  digest: string;
  size: number;
  /** Number of regular files written (oci-manifest.json included). */
  files: number;
  ociManifest: OciManifestFile;
}

/**
 * Safely extracts an extension tarball (tar+gzip) from `stream` into `dir`.
 *
 * Everything is written into a fresh temporary directory beside `dir`; only regular files and
 * directories with safe, non-aliasing names are accepted; sizes, counts and the compression ratio
 * are capped while streaming; every file is hashed and checked against `oci-manifest.json`, and
 * the compressed stream against `expectedDigest`. Only then is the result renamed into place, so a
 * failure leaves neither a partial tree nor a changed target.
 */
export async function unpackExtension(
  stream: Readable,
  dir: string,
  options: UnpackOptions = {},
): Promise<UnpackResult> {
  const limits = { ...DEFAULT_UNPACK_LIMITS, ...options.limits };
  const target = path.resolve(dir);
  const algorithm = digestAlgorithm(options.expectedDigest);
  await assertTargetReplaceable(target, options.overwrite ?? false);
  await mkdir(path.dirname(target), { recursive: true });
  const staging = path.join(
    path.dirname(target),
    `.${path.basename(target)}.unpack-${randomBytes(6).toString('hex')}`,
  );
  await mkdir(staging, { mode: 0o755 });

  try {
    const compressed = new DigestStream(algorithm);
    const written = await extractInto(stream, compressed, staging, limits, options.expectedSize);
    const digest = compressed.digest();
    if (options.expectedSize !== undefined && compressed.bytes !== options.expectedSize) {
      throw digestMismatch('archive size', `${options.expectedSize} bytes`, `${compressed.bytes} bytes`);
    }
    if (options.expectedDigest !== undefined && digest !== options.expectedDigest) {
      throw digestMismatch('archive digest', options.expectedDigest, digest);
    }
    const ociManifest = await verifyAgainstOciManifest(staging, written);
    await moveIntoPlace(staging, target, options.overwrite ?? false);
    return { dir: target, digest, size: compressed.bytes, files: written.size, ociManifest };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Streams the archive into `staging`; returns path → {size, sha256} of every file written. */
async function extractInto(
  source: Readable,
  compressed: DigestStream,
  staging: string,
  limits: UnpackLimits,
  expectedSize: number | undefined,
): Promise<Map<string, { size: number; sha256: string }>> {
  const extract = tar.extract();
  let decompressed = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      decompressed += chunk.length;
      if (expectedSize !== undefined && compressed.bytes > expectedSize) {
        callback(archiveLimit(undefined, `more than the expected ${expectedSize} compressed bytes`));
      } else if (decompressed > limits.maxTotalBytes + limits.maxEntries * 1024 + 1024 * 1024) {
        callback(archiveLimit(undefined, `more than ${limits.maxTotalBytes} bytes decompressed`));
      } else if (
        decompressed > limits.ratioGraceBytes &&
        decompressed / Math.max(1, compressed.bytes) > limits.maxRatio
      ) {
        callback(archiveLimit(undefined, `compression ratio above ${limits.maxRatio}:1 (zip bomb?)`));
      } else {
        callback(null, chunk);
      }
    },
  });
  const feeding = pipeline(
    source,
    compressed,
    createGunzip(),
    guard,
    extract as unknown as NodeJS.WritableStream,
  );
  feeding.catch(() => undefined); // awaited below; avoid an unhandled rejection while entries are processed

  const written = new Map<string, { size: number; sha256: string }>();
  const seen = new Map<string, string>();
  const files = new Set<string>();
  let entries = 0;
  let total = 0;
  try {
    for await (const entry of extract) {
      const header = entry.header;
      const rawName = header.name;
      entries += 1;
      if (entries > limits.maxEntries) throw archiveLimit(rawName, `more than ${limits.maxEntries} entries`);
      if (header.type !== 'file' && header.type !== 'directory') {
        throw unsafeArchive(
          rawName,
          `${describeType(header.type)} not allowed (regular files and directories only)`,
        );
      }
      const name = header.type === 'directory' && rawName.endsWith('/') ? rawName.slice(0, -1) : rawName;
      const problem = entryNameProblem(name);
      if (problem) throw unsafeArchive(rawName, problem);
      const alias = aliasKey(name);
      const previous = seen.get(alias);
      if (previous !== undefined) {
        throw unsafeArchive(
          rawName,
          previous === name ? 'duplicate entry' : `collides with "${printable(previous)}"`,
        );
      }
      seen.set(alias, name);
      const segments = name.split('/');
      for (let i = 1; i < segments.length; i++) {
        if (files.has(aliasKey(segments.slice(0, i).join('/'))))
          throw unsafeArchive(rawName, 'a parent path is a file');
      }
      const destination = path.join(staging, ...segments);
      if (!destination.startsWith(staging + path.sep))
        throw unsafeArchive(rawName, 'resolves outside the target');

      if (header.type === 'directory') {
        await mkdir(destination, { recursive: true, mode: 0o755 });
        entry.resume();
        continue;
      }
      const size = header.size ?? 0;
      if (size > limits.maxEntryBytes)
        throw archiveLimit(rawName, `file of ${size} bytes (limit ${limits.maxEntryBytes})`);
      total += size;
      if (total > limits.maxTotalBytes)
        throw archiveLimit(rawName, `total size above ${limits.maxTotalBytes} bytes`);
      if (name === OCI_MANIFEST_FILE && size > MAX_OCI_MANIFEST_FILE_BYTES) {
        throw archiveLimit(rawName, `${OCI_MANIFEST_FILE} larger than ${MAX_OCI_MANIFEST_FILE_BYTES} bytes`);
      }
      files.add(alias);
      await mkdir(path.dirname(destination), { recursive: true, mode: 0o755 });
      const fileDigest = new DigestStream('sha256');
      const mode = ((header.mode ?? 0o644) & 0o111) !== 0 ? 0o755 : 0o644;
      await pipeline(entry, fileDigest, createWriteStream(destination, { flags: 'wx', mode }));
      if (fileDigest.bytes !== size)
        throw unsafeArchive(rawName, `truncated (${fileDigest.bytes} of ${size} bytes)`);
      written.set(name, { size, sha256: fileDigest.digest().slice('sha256:'.length) });
    }
  } catch (error) {
    extract.destroy();
    source.destroy();
    // A limit hit inside the pipeline surfaces here as a premature close: report the real cause.
    const feedError = await feeding.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof ProvisioningError) && feedError instanceof ProvisioningError) throw feedError;
    throw asArchiveError(error);
  }
  try {
    await feeding;
  } catch (error) {
    throw asArchiveError(error);
  }
  return written;
}

/** Every written file must be listed in oci-manifest.json with the same size and sha256, and vice versa. */
async function verifyAgainstOciManifest(
  staging: string,
  written: Map<string, { size: number; sha256: string }>,
): Promise<OciManifestFile> {
  if (!written.has(OCI_MANIFEST_FILE))
    throw unsafeArchive(OCI_MANIFEST_FILE, 'missing: the archive cannot be verified');
  const parsed = parseOciManifestFile(await readFile(path.join(staging, OCI_MANIFEST_FILE)));
  if (typeof parsed === 'string') throw unsafeArchive(OCI_MANIFEST_FILE, parsed);
  const listed = new Map(parsed.files.map((f) => [f.path, f]));
  for (const [name, actual] of written) {
    if (name === OCI_MANIFEST_FILE) continue;
    const expected = listed.get(name);
    if (!expected) throw unsafeArchive(name, `not listed in ${OCI_MANIFEST_FILE}`);
    if (expected.size !== actual.size || expected.sha256 !== actual.sha256) {
      throw digestMismatch(
        `file "${printable(name)}"`,
        `sha256:${expected.sha256}`,
        `sha256:${actual.sha256}`,
      );
    }
  }
  for (const name of listed.keys()) {
    if (!written.has(name))
      throw unsafeArchive(name, `listed in ${OCI_MANIFEST_FILE} but missing from the archive`);
  }
  return parsed;
}

async function assertTargetReplaceable(target: string, overwrite: boolean): Promise<void> {
  const existing = await stat(target).catch(() => undefined);
  if (!existing || overwrite) return;
  if (existing.isDirectory() && (await readdir(target)).length === 0) return;
  throw new ProvisioningError('TARGET_EXISTS', `${target} already exists and is not empty`, {
    kind: 'input',
    hint: 'remove it first, or pass overwrite to replace it atomically',
    details: { dir: target },
  });
}

async function moveIntoPlace(staging: string, target: string, overwrite: boolean): Promise<void> {
  await assertTargetReplaceable(target, overwrite);
  const existing = await stat(target).catch(() => undefined);
  if (!existing) {
    await rename(staging, target);
    return;
  }
  if (existing.isDirectory() && (await readdir(target)).length === 0) {
    await rmdir(target);
    await rename(staging, target);
    return;
  }
  // Swap: the old tree survives until the new one is in place.
  const backup = `${staging}.previous`;
  await rename(target, backup);
  try {
    await rename(staging, target);
  } catch (error) {
    await rename(backup, target);
    throw error;
  }
  await rm(backup, { recursive: true, force: true });
}

function digestAlgorithm(expected: string | undefined): 'sha256' | 'sha512' {
  if (expected === undefined) return 'sha256';
  if (/^sha256:[a-f0-9]{64}$/.test(expected)) return 'sha256';
  if (/^sha512:[a-f0-9]{128}$/.test(expected)) return 'sha512';
  throw new ProvisioningError(
    'DIGEST_INVALID',
    `expected digest "${printable(expected)}" is not a valid sha256/sha512 digest`,
    {
      kind: 'input',
      hint: 'pass the layer digest as algorithm:hex, e.g. sha256:<64 hex characters>',
    },
  );
}

function describeType(type: string | null | undefined): string {
  switch (type) {
    case 'symlink':
      return 'symbolic link';
    case 'link':
      return 'hard link';
    case 'character-device':
    case 'block-device':
      return 'device file';
    case 'fifo':
      return 'named pipe (fifo)';
    default:
      return `entry type "${type ?? 'unknown'}"`;
  }
}

/** zlib and tar parse failures become a clear UNSAFE_ARCHIVE; our own errors pass through. */
function asArchiveError(error: unknown): unknown {
  if (error instanceof ProvisioningError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (
    /header|gzip|zlib|incorrect|unexpected end|invalid/i.test(message) ||
    (error as { code?: string }).code?.startsWith('Z_')
  ) {
    return new ProvisioningError('UNSAFE_ARCHIVE', `not a valid extension tarball: ${message}`, {
      kind: 'input',
      hint: 'the artifact is corrupt or not a tar+gzip layer; pull it again',
      cause: error,
    });
  }
  return error;
}
