import { pipeline, type Readable } from 'node:stream';
import { parseDigest } from '@provisioning/schemas';
import { RegistryError } from '../http/errors.js';
import { responseHeader } from '../http/transport.js';
import type { Descriptor } from '../types.js';
import { markVerified } from '../verified-stream.js';
import { apiUrl, describeRef, pullScopes, type RepositoryContext, requestContext } from './context.js';
import { DigestVerifier } from './verify-stream.js';

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

/**
 * Stream a blob. Redirects (S3, CDNs) are followed without credentials; the returned stream
 * errors with `DIGEST_MISMATCH` when size or hash differ from the descriptor, so callers that
 * write to a temp file and rename on success never keep bad bytes.
 */
export async function fetchBlob(ctx: RepositoryContext, desc: Descriptor): Promise<Readable> {
  parseDigest(desc.digest);
  const res = await ctx.transport.expect(
    {
      method: 'GET',
      url: apiUrl(ctx, `blobs/${desc.digest}`),
      scopes: pullScopes(ctx),
      ctx: requestContext(ctx, 'fetch blob', desc.digest),
    },
    [200],
  );
  const declared = Number(responseHeader(res.headers, 'content-length'));
  const verifier = new DigestVerifier({
    digest: desc.digest,
    size: desc.size,
    source: `blob ${describeRef(ctx, desc.digest)}`,
  });
  if (Number.isFinite(declared) && declared !== desc.size && res.status === 200) {
    // destroy() emits an abort error; with no listener it would crash the process instead of
    // letting the DIGEST_MISMATCH below reach the caller
    res.body.on('error', () => undefined);
    res.body.destroy();
    throw new RegistryError(
      'DIGEST_MISMATCH',
      `blob ${describeRef(ctx, desc.digest)}: registry announces ${declared} bytes, descriptor says ${desc.size}`,
      {
        hint: 'the registry or a proxy served different content; nothing was kept',
        details: { digest: desc.digest },
      },
    );
  }
  // pipeline propagates errors both ways and destroys the source if the consumer gives up.
  return markVerified(pipeline(res.body, verifier, () => undefined) as unknown as Readable, desc);
}
