import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { asFileSystemError, makeDirectory, openNewFileSink, ProvisioningError } from '@provisioning/schemas';
import * as tar from 'tar-stream';
import { OCI_MANIFEST_FILE } from '../extension-layout.js';
import { DigestStream } from '../pack/digest-stream.js';
import { SMALL_FILE_BYTES } from '../small-file.js';
import { aliasKey, entryNameProblem } from '../tree/entry-name.js';
import { inflateChunkBytes } from '../zlib-chunk.js';
import { archiveLimit, printable, unsafeArchive } from './archive-errors.js';
import { MAX_OCI_MANIFEST_FILE_BYTES, type UnpackLimits } from './limits.js';

/** Streams the archive into `staging`; returns path → {size, sha256} of every file written. */
export async function extractInto(
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
    createGunzip({ chunkSize: inflateChunkBytes(expectedSize) }),
    guard,
    extract as unknown as NodeJS.WritableStream,
  );
  feeding.catch(() => undefined); // awaited below; avoid an unhandled rejection while entries are processed

  const written = new Map<string, { size: number; sha256: string }>();
  const seen = new Map<string, string>();
  const files = new Set<string>();
  // Directories already made in the private staging tree: one mkdir each, not one per file.
  const made = new Set<string>([staging]);
  const ensureDirectory = async (dir: string) => {
    if (made.has(dir)) return;
    await makeDirectory(dir, 0o755);
    for (let at = dir; at.startsWith(staging) && !made.has(at); at = path.dirname(at)) made.add(at);
  };
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
        await ensureDirectory(destination);
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
      await ensureDirectory(path.dirname(destination));
      const mode = ((header.mode ?? 0o644) & 0o111) !== 0 ? 0o755 : 0o644;
      if (size <= SMALL_FILE_BYTES) {
        // gathered in memory and written with one call (see SMALL_FILE_BYTES); larger files stream
        const chunks: Buffer[] = [];
        let got = 0;
        for await (const chunk of entry as AsyncIterable<Buffer>) {
          got += chunk.length;
          if (got > size) break; // tar-stream never hands out more than the header says
          chunks.push(chunk);
        }
        if (got !== size) throw unsafeArchive(rawName, `truncated (${got} of ${size} bytes)`);
        const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, got);
        writeFileSync(destination, bytes, { flag: 'wx', mode });
        written.set(name, { size, sha256: createHash('sha256').update(bytes).digest('hex') });
        continue;
      }
      const fileDigest = new DigestStream('sha256');
      await pipeline(entry, fileDigest, openNewFileSink(destination, { mode }));
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
    throw asArchiveError(error, path.dirname(staging));
  }
  try {
    await feeding;
  } catch (error) {
    throw asArchiveError(error, path.dirname(staging));
  }
  return written;
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
function asArchiveError(error: unknown, where: string): unknown {
  if (error instanceof ProvisioningError) return error;
  const fileSystem = asFileSystemError(error, where);
  if (fileSystem !== error) return fileSystem;
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
