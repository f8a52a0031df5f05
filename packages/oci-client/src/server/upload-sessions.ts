/**
 * Blob upload sessions of the built-in registry: each is a temp file inside the target repository's
 * layout (so finishing is a rename) plus a running sha256. Chunks are appended in order; a failed
 * chunk is cut off again so the client can resume from the offset we report.
 */
import { createHash, type Hash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, truncate, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { OciLayout } from '../layout/oci-layout.js';

export interface UploadSession {
  readonly uuid: string;
  readonly name: string;
  readonly layout: OciLayout;
  readonly path: string;
  offset: number;
  /** Running sha256 of the bytes so far; undefined after a failed chunk (then re-hash at the end). */
  hash: Hash | undefined;
  busy: boolean;
  touched: number;
}

export class UploadSessions {
  private readonly sessions = new Map<string, UploadSession>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly idleMs = 60 * 60_000) {
    this.sweeper = setInterval(() => void this.expire(), Math.min(idleMs, 60_000));
    this.sweeper.unref();
  }

  async start(name: string, layout: OciLayout): Promise<UploadSession> {
    const path = await layout.ingestPath();
    await writeFile(path, new Uint8Array(0), { flag: 'wx' });
    const session: UploadSession = {
      uuid: randomUUID(),
      name,
      layout,
      path,
      offset: 0,
      hash: createHash('sha256'),
      busy: false,
      touched: Date.now(),
    };
    this.sessions.set(session.uuid, session);
    return session;
  }

  get(name: string, uuid: string): UploadSession | undefined {
    const session = this.sessions.get(uuid);
    return session && session.name === name ? session : undefined;
  }

  /** Append the request body; on failure the file is truncated back so the offset stays true. */
  async append(session: UploadSession, body: IncomingMessage): Promise<number> {
    const before = session.offset;
    let count = 0;
    const hash = session.hash;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        count += chunk.length;
        hash?.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, createWriteStream(session.path, { flags: 'a' }));
    } catch (error) {
      await truncate(session.path, before).catch(() => undefined);
      session.hash = undefined;
      throw error;
    } finally {
      session.touched = Date.now();
    }
    session.offset = before + count;
    return count;
  }

  /** The digest of everything uploaded, in the requested algorithm. */
  async digest(session: UploadSession, algorithm: 'sha256' | 'sha512'): Promise<string> {
    if (algorithm === 'sha256' && session.hash) return `sha256:${session.hash.copy().digest('hex')}`;
    const hash = createHash(algorithm);
    for await (const chunk of createReadStream(session.path)) hash.update(chunk as Buffer);
    return `${algorithm}:${hash.digest('hex')}`;
  }

  /** Forget a session; its temp file is removed unless it was committed (renamed) already. */
  async end(session: UploadSession): Promise<void> {
    this.sessions.delete(session.uuid);
    await rm(session.path, { force: true });
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.sessions.values()].map((s) => this.end(s)));
  }

  private async expire(): Promise<void> {
    const cutoff = Date.now() - this.idleMs;
    for (const session of this.sessions.values()) {
      if (!session.busy && session.touched < cutoff) await this.end(session);
    }
  }
}
