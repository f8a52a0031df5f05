import { pipeline, Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProvisioningError, parseDigest } from '@provisioning/schemas';
import { isNetworkFailure, networkError, RegistryError } from '../http/errors.js';
import { backoffDelay } from '../http/retry.js';
import { type HttpResponse, responseHeader } from '../http/transport.js';
import { VerifyingStream } from '../layout/verify-stream.js';
import type { Descriptor } from '../types.js';
import { markVerified } from '../verified-stream.js';
import { apiUrl, describeRef, pullScopes, type RepositoryContext, requestContext } from './context.js';
import { receivedContentError } from './received-content-error.js';

/** HEAD a blob: true on 200, false on 404, error otherwise. */
export async function blobExists(ctx: RepositoryContext, digest: string): Promise<boolean> {
  parseDigest(digest);
  const opCtx = requestContext(ctx, 'check blob', digest);
  const res = await ctx.transport.send({
    method: 'HEAD',
    url: apiUrl(ctx, `blobs/${digest}`),
    scopes: pullScopes(ctx),
    ctx: opCtx,
  });
  await res.body.dump();
  if (res.status === 200) return true;
  if (res.status === 404) return false;
  throw await ctx.transport.errorFrom(res, opCtx);
}

/** Resumes after a download that failed part-way, whatever the progress (a guard against a loop). */
const MAX_RESUMES = 50;

/**
 * Stream a blob. Redirects (S3, CDNs) are followed without credentials; the returned stream
 * errors with `DIGEST_MISMATCH` when size or hash differ from the descriptor, so callers that
 * write to a temp file and rename on success never keep bad bytes.
 *
 * A body that breaks off (reset, closed before its length, stalled) is fetched again from where it
 * stopped: `Range: bytes=N-` where the registry answers 206, else the whole blob again with the
 * bytes already delivered skipped. The digest check covers the joined stream. Only after the retry
 * policy's tries without progress does the stream fail, with `NETWORK_ERROR` (docs/oci.md).
 */
export async function fetchBlob(ctx: RepositoryContext, desc: Descriptor): Promise<Readable> {
  parseDigest(desc.digest);
  const first = await requestBlob(ctx, desc, 0);
  const verifier = new VerifyingStream(
    { digest: desc.digest, size: desc.size },
    `blob ${describeRef(ctx, desc.digest)}`,
    receivedContentError,
  );
  const joined = Readable.from(resumingBody(ctx, desc, first), { objectMode: false });
  // pipeline propagates errors both ways and destroys the source if the consumer gives up.
  return markVerified(pipeline(joined, verifier, () => undefined) as unknown as Readable, desc);
}

interface BlobPart {
  body: HttpResponse['body'];
  /** Bytes at the start of `body` that were delivered before (a 200 answer to a resume). */
  skip: number;
}

/** GET the blob from byte `from` on (a plain GET for 0). */
async function requestBlob(ctx: RepositoryContext, desc: Descriptor, from: number): Promise<BlobPart> {
  const res = await ctx.transport.expect(
    {
      method: 'GET',
      url: apiUrl(ctx, `blobs/${desc.digest}`),
      scopes: pullScopes(ctx),
      ctx: requestContext(ctx, 'fetch blob', desc.digest),
      ...(from > 0 ? { headers: { range: `bytes=${from}-` } } : {}),
    },
    from > 0 ? [200, 206] : [200],
  );
  if (res.status === 206) {
    const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(responseHeader(res.headers, 'content-range') ?? '');
    if (range && Number(range[1]) === from && (range[3] === '*' || Number(range[3]) === desc.size)) {
      return { body: res.body, skip: 0 };
    }
    // A range we did not ask for: start over without one.
    discard(res.body);
    return requestBlob(ctx, desc, 0).then((part) => ({ ...part, skip: from }));
  }
  const declared = Number(responseHeader(res.headers, 'content-length'));
  if (Number.isFinite(declared) && declared !== desc.size) {
    discard(res.body);
    throw new RegistryError(
      'DIGEST_MISMATCH',
      `blob ${describeRef(ctx, desc.digest)}: registry announces ${declared} bytes, descriptor says ${desc.size}`,
      {
        hint: 'the registry or a proxy served different content; nothing was kept',
        details: { digest: desc.digest },
      },
    );
  }
  return { body: res.body, skip: from };
}

function discard(body: Readable): void {
  // destroy() emits an abort error; with no listener it would crash the process
  body.on('error', () => undefined);
  body.destroy();
}

async function* resumingBody(
  ctx: RepositoryContext,
  desc: Descriptor,
  first: BlobPart,
): AsyncGenerator<Buffer> {
  const opCtx = requestContext(ctx, 'fetch blob', desc.digest);
  let part = first;
  let delivered = 0;
  let stalled = 0;
  for (let resumes = 0; ; resumes++) {
    const before = delivered;
    let skip = part.skip;
    let failure: unknown;
    try {
      for await (const piece of part.body) {
        let chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(piece as Uint8Array);
        if (skip > 0) {
          const dropped = Math.min(skip, chunk.length);
          skip -= dropped;
          chunk = chunk.subarray(dropped);
          if (chunk.length === 0) continue;
        }
        delivered += chunk.length;
        yield chunk;
      }
      // Complete, or longer than announced: the verifier downstream decides.
      if (delivered >= desc.size) return;
      // A body that ended cleanly but short (a server closing a response without a length) was cut.
      failure = new RegistryError(
        'NETWORK_ERROR',
        `fetch blob ${describeRef(ctx, desc.digest)}: the connection to ${ctx.host} ended after ${delivered} of ${desc.size} bytes`,
        {
          kind: 'network',
          retryable: true,
          hint: `check the network to ${ctx.host} and try again`,
          details: { ...opCtx },
        },
      );
    } catch (error) {
      if (!isRetryableNetwork(error)) throw error;
      failure = error;
    }
    stalled = delivered > before ? 0 : stalled + 1;
    if (stalled >= ctx.transport.policy.maxTries || resumes >= MAX_RESUMES) {
      throw failure instanceof ProvisioningError ? failure : networkError(failure, opCtx);
    }
    const delay = backoffDelay(ctx.transport.policy, stalled);
    ctx.transport.debug(
      `resume GET ${describeRef(ctx, desc.digest)} at byte ${delivered} of ${desc.size} in ${Math.round(delay)} ms`,
    );
    await sleep(delay);
    part = await requestBlob(ctx, desc, delivered);
  }
}

function isRetryableNetwork(error: unknown): boolean {
  if (error instanceof RegistryError) return error.code === 'NETWORK_ERROR' && error.retryable;
  return isNetworkFailure(error);
}
