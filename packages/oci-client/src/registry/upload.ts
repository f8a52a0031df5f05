import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProvisioningError, parseDigest } from '@provisioning/schemas';
import { RegistryError } from '../http/errors.js';
import { backoffDelay } from '../http/retry.js';
import { type RequestBody, responseHeader } from '../http/transport.js';
import { digestOf } from '../layout/digest.js';
import { VerifyingStream } from '../layout/verify-stream.js';
import { openerOf } from '../reopenable.js';
import type { Descriptor } from '../types.js';
import { isVerifiedAs } from '../verified-stream.js';
import { blobExists } from './blobs.js';
import { apiUrl, describeRef, type RepositoryContext, requestContext } from './context.js';
import { receivedContentError } from './received-content-error.js';

export type BlobContent = Readable | Uint8Array;

export interface PushBlobOptions {
  /** Try a cross-repository mount from this repository (same registry) first. */
  mountFrom?: string;
  /** Force chunked upload (PATCH) even for small blobs of known size. */
  chunked?: boolean;
  /** The caller has just seen the blob missing (a copy asks first): skip the existence check. */
  knownMissing?: boolean;
}

/** What happened: already there, mounted from another repo, or uploaded. */
export type PushBlobResult = 'exists' | 'mounted' | 'uploaded';

function locationOf(
  ctx: RepositoryContext,
  res: { headers: Record<string, string | string[] | undefined>; url: URL },
  op: string,
): URL {
  const location = responseHeader(res.headers, 'location');
  if (location === undefined) {
    throw new RegistryError(
      'BLOB_UPLOAD_INVALID',
      `${op} ${describeRef(ctx)}: the registry sent no upload Location`,
      {
        hint: 'the registry does not follow the distribution spec; report it to its operator',
      },
    );
  }
  // Relative (Zot) or absolute (Distribution): resolve against the URL that answered.
  return new URL(location, res.url);
}

function discard(content: BlobContent): void {
  if (content instanceof Readable) content.destroy();
}

/**
 * Where the bytes of an upload come from, per attempt: a buffer, content made `reopenable` (a file,
 * a layout blob, a blob of another registry: opened again for every attempt), or a one-shot stream
 * (one attempt only, as nothing can read it twice).
 */
interface UploadSource {
  /** A request body: replayable unless the content is a one-shot stream. */
  body(): RequestBody;
  /** The content as a stream, from its start (chunked uploads). */
  stream(): Promise<Readable>;
  /** Can a failed upload start over? */
  readonly reopenable: boolean;
}

function uploadSource(ctx: RepositoryContext, desc: Descriptor, content: BlobContent): UploadSource {
  if (content instanceof Uint8Array) {
    return { body: () => content, stream: async () => Readable.from([content]), reopenable: true };
  }
  const verified = (stream: Readable): Readable =>
    isVerifiedAs(stream, desc)
      ? stream
      : stream.pipe(
          new VerifyingStream(
            { digest: desc.digest, size: desc.size },
            `upload to ${describeRef(ctx, desc.digest)}`,
            receivedContentError,
          ),
        );
  const open = openerOf(content);
  if (open !== undefined) {
    // The lazy stream itself is never read (nothing was opened yet): each attempt opens its own.
    content.destroy();
    const fresh = async () => verified(await open());
    return { body: () => fresh, stream: fresh, reopenable: true };
  }
  let spent = false;
  const once = async () => {
    if (spent) throw new Error('a one-shot stream cannot be read twice');
    spent = true;
    return verified(content);
  };
  return { body: () => verified(content), stream: once, reopenable: false };
}

/** Failures after which a fresh upload session can succeed: the registry lost or refused the session, or it kept failing. */
function restartable(error: unknown): boolean {
  if (!(error instanceof RegistryError)) return false;
  if (error.retryable) return true; // network errors, 429 and 5xx once the transport's tries were spent
  if (error.status === 404 || error.status === 416) return true; // BLOB_UPLOAD_UNKNOWN, a range the session disowns
  return ['BLOB_UPLOAD_UNKNOWN', 'BLOB_UPLOAD_INVALID', 'DIGEST_INVALID', 'SIZE_INVALID'].includes(
    error.registryCode ?? '',
  );
}

/**
 * Push a blob: skip when it exists, try a mount when asked, then upload monolithically (one PUT
 * with the stream, or a single POST when the registry supports it) or in chunks (PATCH with
 * `Content-Range`, honouring `OCI-Chunk-Min-Length`). The bytes are verified against `desc` while
 * they stream; a mismatch aborts the upload.
 *
 * Each request is retried by the transport (429, 5xx and network errors, `Retry-After` honoured)
 * with its body opened again; when an upload still fails, or the registry lost its session, the
 * upload starts over in a new session, up to the retry policy's number of tries, provided the
 * content can be read again (a buffer or `reopenable`) — docs/oci.md, "Timeouts and retries".
 */
export async function pushBlob(
  ctx: RepositoryContext,
  desc: Descriptor,
  content: BlobContent,
  options: PushBlobOptions = {},
): Promise<PushBlobResult> {
  parseDigest(desc.digest);
  if (content instanceof Uint8Array) verifyBuffer(ctx, desc, content);
  if (!options.knownMissing && (await blobExists(ctx, desc.digest))) {
    discard(content);
    return 'exists';
  }
  const scopes = [`repository:${ctx.name}:pull,push`];
  let session: UploadSession | undefined;

  if (options.mountFrom !== undefined && options.mountFrom !== ctx.name) {
    const url = new URL(apiUrl(ctx, 'blobs/uploads/'));
    url.searchParams.set('mount', desc.digest);
    url.searchParams.set('from', options.mountFrom);
    const opCtx = requestContext(ctx, 'mount blob', desc.digest);
    const res = await ctx.transport.expect(
      { method: 'POST', url, scopes: [...scopes, `repository:${options.mountFrom}:pull`], ctx: opCtx },
      [201, 202],
    );
    await res.body.dump();
    if (res.status === 201) {
      ctx.capabilities.mount = true;
      discard(content);
      return 'mounted';
    }
    // 202: the registry started an ordinary upload instead; carry on with it.
    session = { url: locationOf(ctx, res, 'mount blob'), minChunk: chunkMin(res.headers) };
  }

  const source = uploadSource(ctx, desc, content);
  for (let attempt = 0; ; attempt++) {
    try {
      return await uploadInSession(ctx, desc, source, session, options);
    } catch (error) {
      session = undefined;
      if (!source.reopenable || attempt + 1 >= ctx.transport.policy.maxTries || !restartable(error)) {
        throw error;
      }
      // The commit may have gone through with its answer lost on the way back.
      if (await blobExists(ctx, desc.digest).catch(() => false)) return 'uploaded';
      const delay = backoffDelay(ctx.transport.policy, attempt);
      ctx.transport.debug(
        `restart upload of ${describeRef(ctx, desc.digest)} in a new session in ${Math.round(delay)} ms (${(error as Error).message})`,
      );
      await sleep(delay);
    }
  }
}

interface UploadSession {
  url: URL;
  minChunk: number;
}

/** One upload from the first byte: in `session`, or in a new one. */
async function uploadInSession(
  ctx: RepositoryContext,
  desc: Descriptor,
  source: UploadSource,
  given: UploadSession | undefined,
  options: PushBlobOptions,
): Promise<PushBlobResult> {
  const scopes = [`repository:${ctx.name}:pull,push`];
  const uploads = apiUrl(ctx, 'blobs/uploads/');
  const opCtx = requestContext(ctx, 'push blob', desc.digest);
  let session = given;
  const small = desc.size <= ctx.monolithicMaxBytes && !options.chunked;
  if (session === undefined && small && source.reopenable && ctx.capabilities.singlePostUpload === true) {
    const url = new URL(uploads);
    url.searchParams.set('digest', desc.digest);
    const res = await ctx.transport.expect(
      {
        method: 'POST',
        url,
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(desc.size) },
        body: source.body(),
        scopes,
        ctx: opCtx,
      },
      [201, 202],
    );
    await res.body.dump();
    if (res.status === 201) return 'uploaded';
    session = { url: locationOf(ctx, res, 'push blob'), minChunk: chunkMin(res.headers) };
  }
  if (session === undefined) {
    const res = await ctx.transport.expect({ method: 'POST', url: uploads, scopes, ctx: opCtx }, [202]);
    await res.body.dump();
    session = { url: locationOf(ctx, res, 'push blob'), minChunk: chunkMin(res.headers) };
  }
  if (small) {
    await putMonolithic(ctx, desc, source, session.url);
  } else {
    await uploadChunks(ctx, desc, await source.stream(), session.url, session.minChunk);
  }
  return 'uploaded';
}

function chunkMin(headers: Record<string, string | string[] | undefined>): number {
  const value = Number(responseHeader(headers, 'oci-chunk-min-length'));
  return Number.isFinite(value) && value > 0 ? value : 0;
}

function verifyBuffer(ctx: RepositoryContext, desc: Descriptor, content: Uint8Array): void {
  const actual = digestOf(content, parseDigest(desc.digest).algorithm);
  if (actual !== desc.digest || content.length !== desc.size) {
    throw new ProvisioningError(
      'DIGEST_MISMATCH',
      `blob for ${describeRef(ctx, desc.digest)}: content is ${content.length} bytes hashing to ${actual}`,
      {
        hint: 'compute the descriptor from the exact bytes you push',
        details: { digest: desc.digest },
      },
    );
  }
}

function withDigest(url: URL, digest: string): URL {
  const next = new URL(url);
  next.searchParams.set('digest', digest);
  return next;
}

async function putMonolithic(
  ctx: RepositoryContext,
  desc: Descriptor,
  source: UploadSource,
  location: URL,
): Promise<void> {
  const opCtx = requestContext(ctx, 'push blob', desc.digest);
  const res = await ctx.transport
    .expect(
      {
        method: 'PUT',
        url: withDigest(location, desc.digest),
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(desc.size) },
        body: source.body(),
        scopes: [`repository:${ctx.name}:pull,push`],
        ctx: opCtx,
      },
      [201, 204],
    )
    .catch((error: unknown) => {
      // Our own verifier aborting the body is the real story, not the broken request.
      const own = findDigestMismatch(error);
      throw own ?? error;
    });
  await res.body.dump();
}

function findDigestMismatch(error: unknown): ProvisioningError | undefined {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (e instanceof ProvisioningError && e.code === 'DIGEST_MISMATCH') return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

async function* chunksOf(content: BlobContent, size: number): AsyncGenerator<Buffer> {
  if (content instanceof Uint8Array) {
    for (let offset = 0; offset < content.length; offset += size) {
      yield Buffer.from(content.buffer, content.byteOffset + offset, Math.min(size, content.length - offset));
    }
    return;
  }
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const piece of content) {
    const buf = Buffer.isBuffer(piece) ? piece : Buffer.from(piece as Uint8Array);
    pending.push(buf);
    pendingBytes += buf.length;
    while (pendingBytes >= size) {
      const joined = Buffer.concat(pending);
      yield joined.subarray(0, size);
      const rest = joined.subarray(size);
      pending = rest.length > 0 ? [rest] : [];
      pendingBytes = rest.length;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending);
}

async function uploadChunks(
  ctx: RepositoryContext,
  desc: Descriptor,
  content: BlobContent,
  start: URL,
  minChunk: number,
): Promise<void> {
  const opCtx = requestContext(ctx, 'push blob', desc.digest);
  const scopes = [`repository:${ctx.name}:pull,push`];
  const { algorithm } = parseDigest(desc.digest);
  const hash = createHash(algorithm);
  const chunkSize = Math.max(ctx.chunkSize, minChunk);
  let location = start;
  let offset = 0;
  for await (const chunk of chunksOf(content, chunkSize)) {
    hash.update(chunk);
    const res = await ctx.transport.expect(
      {
        method: 'PATCH',
        url: location,
        headers: {
          'content-type': 'application/octet-stream',
          'content-length': String(chunk.length),
          'content-range': `${offset}-${offset + chunk.length - 1}`,
        },
        body: chunk,
        scopes,
        ctx: opCtx,
      },
      [202, 204],
    );
    await res.body.dump();
    location = locationOf(ctx, res, 'push blob chunk');
    offset += chunk.length;
  }
  const actual = `${algorithm}:${hash.digest('hex')}`;
  if (actual !== desc.digest || offset !== desc.size) {
    // Abandon the session so the registry never commits the wrong bytes.
    await ctx.transport
      .send({ method: 'DELETE', url: location, scopes, ctx: opCtx })
      .then((r) => r.body.dump())
      .catch(() => undefined);
    throw new RegistryError(
      'DIGEST_MISMATCH',
      `upload to ${describeRef(ctx, desc.digest)}: content is ${offset} bytes hashing to ${actual}, descriptor says ${desc.size} bytes ${desc.digest}`,
      {
        hint: 'the source changed while it was read, or the descriptor is wrong; nothing was committed',
        details: { digest: desc.digest },
      },
    );
  }
  const res = await ctx.transport.expect(
    {
      method: 'PUT',
      url: withDigest(location, desc.digest),
      headers: { 'content-length': '0' },
      scopes,
      ctx: opCtx,
    },
    [201, 204],
  );
  await res.body.dump();
}
