import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { makeDirectory, ProvisioningError } from '@provisioning/schemas';
import { DigestStream } from '../pack/digest-stream.js';
import type { OciManifestFile } from '../pack/oci-manifest-file.js';
import { digestMismatch, printable } from './archive-errors.js';
import { extractInto } from './extract-entries.js';
import { DEFAULT_UNPACK_LIMITS, type UnpackLimits } from './limits.js';
import { assertTargetReplaceable, moveIntoPlace } from './move-into-place.js';
import { verifyAgainstOciManifest } from './verify-contents.js';

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
  await makeDirectory(path.dirname(target));
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
