/**
 * A write stream into a new file, for streamed content (blobs, unpacked files, tarballs).
 * The file is created before this returns (`wx`: never over an existing one), so a pipeline that
 * fails before its first chunk cannot create it after the caller's clean-up removed it. Each chunk
 * is written with a synchronous call: copying 256 KiB into the page cache takes less than the
 * thread-pool round trip of an asynchronous write (docs/performance.md, "The fourth session"), and
 * a socket's 16–64 KiB chunks need no joining into larger writes (a copy of every byte). With
 * `fsync`, the content is on disk before the stream finishes; only that wait goes to the pool.
 */
import { closeSync, fsync, openSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';

export function openNewFileSink(path: string, options: { mode?: number; fsync?: boolean } = {}): Writable {
  const fd = openSync(path, 'wx', options.mode ?? 0o644);
  let closed = false;
  let syncing = false;
  const close = () => {
    // not while an fsync runs in the pool: the number could be given to another file meanwhile
    if (closed || syncing) return;
    closed = true;
    closeSync(fd);
  };
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      try {
        writeFileSync(fd, chunk); // the whole chunk, at the file's current position
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    final(done) {
      if (!options.fsync) {
        close();
        done();
        return;
      }
      syncing = true;
      fsync(fd, (error) => {
        syncing = false;
        close();
        done(error);
      });
    },
    destroy(error, done) {
      close();
      done(error);
    },
  });
}
