import { closeSync, fsync, openSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';

const fsyncAsync = promisify(fsync);

export async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Write a small new file and fsync it before returning. Open, write and close are synchronous
 * calls of a few microseconds each; only the fsync, which waits for the disk, goes to the thread
 * pool, whose every round trip costs the main thread more than the call itself
 * (docs/performance.md, "The third session").
 */
export async function writeSynced(path: string, bytes: string | Uint8Array): Promise<void> {
  const fd = openSync(path, 'wx', 0o644);
  try {
    writeFileSync(fd, bytes);
    await fsyncAsync(fd);
  } finally {
    closeSync(fd);
  }
}
