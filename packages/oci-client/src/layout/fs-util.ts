import { createWriteStream } from 'node:fs';
import { open, readdir } from 'node:fs/promises';

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

/** A write stream for a new file that fsyncs before it reports completion (`flush`). */
export function syncedFileSink(path: string): NodeJS.WritableStream {
  return createWriteStream(path, { flags: 'wx', mode: 0o644, flush: true });
}
