import { open, readdir } from 'node:fs/promises';
import { Transform } from 'node:stream';

export async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Write a new file and fsync it before returning. */
export async function writeSynced(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, 'wx', 0o644);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * A write stream for a new file that fsyncs before it reports completion (`flush`). The file is
 * created before this returns: a stream that opened lazily could create it after a failed pipeline's
 * clean-up had already removed it, leaving a stray temp file behind.
 */
export async function openSyncedFileSink(path: string): Promise<NodeJS.WritableStream> {
  const handle = await open(path, 'wx', 0o644);
  return handle.createWriteStream({ flush: true });
}

const BATCH_BYTES = 256 * 1024;

/**
 * Joins the small chunks a socket delivers (16–64 KiB) into ~256 KiB ones before they reach a file:
 * each `write` is a thread-pool round trip, and a 1 MiB blob otherwise costs dozens of them.
 */
export function batchChunks(): Transform {
  let pending: Buffer[] = [];
  let size = 0;
  const take = () => {
    const joined = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, size);
    pending = [];
    size = 0;
    return joined;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      pending.push(chunk);
      size += chunk.length;
      done(null, size >= BATCH_BYTES ? take() : undefined);
    },
    flush(done) {
      done(null, size > 0 ? take() : undefined);
    },
  });
}
