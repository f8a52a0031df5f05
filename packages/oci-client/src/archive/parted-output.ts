/**
 * Writes a byte stream to `FILE`, or with `maxPartSize` to `FILE.000`, `FILE.001`, … of at most that
 * size each. Everything goes to temporary names first and is renamed into place by `commit()`, so a
 * failed run leaves no file behind (`abort()` removes them).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { partName } from './parted-file.js';

export class PartedOutput {
  private current: WriteStream | undefined;
  private currentSize = 0;
  private readonly temps: string[] = [];
  private readonly tag = `.tmp-${process.pid}-${Date.now().toString(36)}`;

  constructor(
    readonly file: string,
    private readonly maxPartSize?: number,
  ) {}

  /** Final names, in order. */
  get files(): string[] {
    if (this.maxPartSize === undefined) return [this.file];
    return this.temps.map((_, i) => partName(this.file, i));
  }

  async write(chunk: Buffer): Promise<void> {
    let rest = chunk;
    while (rest.length > 0) {
      if (!this.current || (this.maxPartSize !== undefined && this.currentSize >= this.maxPartSize)) {
        await this.next();
      }
      const room = this.maxPartSize === undefined ? rest.length : this.maxPartSize - this.currentSize;
      const piece = rest.subarray(0, room);
      rest = rest.subarray(piece.length);
      this.currentSize += piece.length;
      const stream = this.current as WriteStream;
      if (!stream.write(piece)) await waitDrain(stream);
    }
  }

  async commit(): Promise<string[]> {
    await this.closeCurrent();
    const finals = this.files;
    for (const [i, temp] of this.temps.entries()) await rename(temp, finals[i] as string);
    return finals;
  }

  async abort(): Promise<void> {
    this.current?.destroy();
    this.current = undefined;
    await Promise.all(this.temps.map((temp) => rm(temp, { force: true })));
  }

  private async next(): Promise<void> {
    await this.closeCurrent();
    const final = this.maxPartSize === undefined ? this.file : partName(this.file, this.temps.length);
    const temp = `${final}${this.tag}`;
    this.temps.push(temp);
    this.current = createWriteStream(temp, { flags: 'wx', mode: 0o644 });
    this.currentSize = 0;
    await new Promise<void>((resolve, reject) => {
      this.current?.once('open', () => resolve());
      this.current?.once('error', reject);
    });
  }

  private async closeCurrent(): Promise<void> {
    const stream = this.current;
    if (!stream) return;
    this.current = undefined;
    await new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.end(() => resolve());
    });
  }
}

function waitDrain(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      stream.off('drain', onDrain);
      reject(error);
    };
    const onDrain = () => {
      stream.off('error', onError);
      resolve();
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}
