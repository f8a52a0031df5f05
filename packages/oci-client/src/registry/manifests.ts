import {
  checkJsonLimits,
  isValidDigest,
  isValidTag,
  MAX_MANIFEST_BYTES,
  ProvisioningError,
  parseDigest,
} from '@provisioning/schemas';
import { withBodyRetries } from '../http/body-errors.js';
import { RegistryError } from '../http/errors.js';
import { readCappedBytes, responseHeader } from '../http/transport.js';
import { digestOf } from '../layout/digest.js';
import type { Descriptor } from '../types.js';
import {
  apiUrl,
  describeRef,
  pullScopes,
  pushScopes,
  type RepositoryContext,
  requestContext,
} from './context.js';
import { bareMediaType, MANIFEST_ACCEPT } from './media.js';

export interface FetchedManifest {
  descriptor: Descriptor;
  /** The exact bytes the registry served (their digest is `descriptor.digest`). */
  bytes: Buffer;
  /** Parsed JSON (not schema-validated). */
  json: Record<string, unknown>;
}

/** A tag or digest, validated before it goes into a URL. */
export function checkReference(ctx: RepositoryContext, reference: string): void {
  if (reference.includes(':')) {
    parseDigest(reference);
    return;
  }
  if (!isValidTag(reference)) {
    throw new ProvisioningError(
      'REFERENCE_INVALID',
      `invalid tag ${JSON.stringify(reference)} for ${describeRef(ctx)}`,
      {
        kind: 'input',
        hint: 'a tag is letters, digits, "_", "." and "-" (at most 128, not starting with "." or "-")',
        details: { repository: ctx.name, reference },
      },
    );
  }
}

function tooLarge(ctx: RepositoryContext, reference: string, size: number | string): RegistryError {
  return new RegistryError(
    'MANIFEST_TOO_LARGE',
    `manifest ${describeRef(ctx, reference)} is larger than ${MAX_MANIFEST_BYTES} bytes (${size})`,
    {
      hint: 'refusing to load it; manifests this large are not provisioning artifacts',
      details: { reference },
    },
  );
}

/** GET a manifest by tag or digest, size-capped and digest-verified; again if its body broke off. */
export async function fetchManifest(ctx: RepositoryContext, reference: string): Promise<FetchedManifest> {
  checkReference(ctx, reference);
  return withBodyRetries(ctx.transport, () => fetchManifestOnce(ctx, reference));
}

async function fetchManifestOnce(ctx: RepositoryContext, reference: string): Promise<FetchedManifest> {
  const res = await ctx.transport.expect(
    {
      method: 'GET',
      url: apiUrl(ctx, `manifests/${reference}`),
      headers: { accept: MANIFEST_ACCEPT },
      scopes: pullScopes(ctx),
      ctx: requestContext(ctx, 'fetch manifest', reference),
    },
    [200],
  );
  const declared = Number(responseHeader(res.headers, 'content-length'));
  if (Number.isFinite(declared) && declared > MAX_MANIFEST_BYTES) {
    res.body.destroy();
    throw tooLarge(ctx, reference, declared);
  }
  let bytes: Buffer;
  try {
    bytes = await readCappedBytes(res.body, MAX_MANIFEST_BYTES);
  } catch (error) {
    if (error instanceof RangeError) throw tooLarge(ctx, reference, 'more');
    throw error;
  }
  const digest = verifyManifestDigest(
    ctx,
    reference,
    bytes,
    responseHeader(res.headers, 'docker-content-digest'),
  );
  checkJsonLimits(bytes, `manifest ${describeRef(ctx, reference)}`);
  let json: Record<string, unknown>;
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not a JSON object');
    json = parsed as Record<string, unknown>;
  } catch (cause) {
    throw new RegistryError(
      'MANIFEST_INVALID',
      `manifest ${describeRef(ctx, reference)} is not a JSON object`,
      {
        cause,
        hint: 'the registry served something that is not an OCI manifest',
        details: { reference },
      },
    );
  }
  const mediaType =
    (typeof json.mediaType === 'string' ? json.mediaType : undefined) ??
    bareMediaType(responseHeader(res.headers, 'content-type')) ??
    'application/vnd.oci.image.manifest.v1+json';
  const descriptor: Descriptor = { mediaType, digest, size: bytes.length };
  if (typeof json.artifactType === 'string') descriptor.artifactType = json.artifactType;
  return { descriptor, bytes, json };
}

/**
 * Our own hash of the bytes is authoritative: by digest it must equal the requested digest; by tag
 * a `Docker-Content-Digest` header, when present and valid, must agree with it.
 */
function verifyManifestDigest(
  ctx: RepositoryContext,
  reference: string,
  bytes: Buffer,
  header: string | undefined,
): string {
  const mismatch = (expected: string, actual: string) =>
    new RegistryError(
      'DIGEST_MISMATCH',
      `manifest ${describeRef(ctx, reference)}: content hashes to ${actual}, expected ${expected}`,
      {
        hint: 'the registry or a proxy served corrupted or tampered content; nothing was kept',
        details: { reference, expected, actual },
      },
    );
  if (isValidDigest(reference)) {
    const actual = digestOf(bytes, parseDigest(reference).algorithm);
    if (actual !== reference) throw mismatch(reference, actual);
    return reference;
  }
  if (header !== undefined && isValidDigest(header.trim())) {
    const claimed = header.trim();
    const actual = digestOf(bytes, parseDigest(claimed).algorithm);
    if (actual !== claimed) throw mismatch(claimed, actual);
    return claimed;
  }
  return digestOf(bytes);
}

/** HEAD a manifest; falls back to GET when the registry omits the digest header. */
export async function resolveManifest(ctx: RepositoryContext, reference: string): Promise<Descriptor> {
  checkReference(ctx, reference);
  const res = await ctx.transport
    .expect(
      {
        method: 'HEAD',
        url: apiUrl(ctx, `manifests/${reference}`),
        headers: { accept: MANIFEST_ACCEPT },
        scopes: pullScopes(ctx),
        ctx: requestContext(ctx, 'resolve manifest', reference),
      },
      [200],
    )
    .catch(async (error: unknown) => {
      // HEAD has no body: recover the registry's error code with a GET.
      if (error instanceof RegistryError && error.status === 404) {
        await fetchManifest(ctx, reference);
      }
      throw error;
    });
  await res.body.dump();
  const headerDigest = responseHeader(res.headers, 'docker-content-digest')?.trim();
  const size = Number(responseHeader(res.headers, 'content-length'));
  const mediaType = bareMediaType(responseHeader(res.headers, 'content-type'));
  const digest = isValidDigest(reference) ? reference : headerDigest;
  if (digest === undefined || !isValidDigest(digest) || !Number.isFinite(size) || mediaType === undefined) {
    return (await fetchManifest(ctx, reference)).descriptor;
  }
  if (size > MAX_MANIFEST_BYTES) throw tooLarge(ctx, reference, size);
  return { mediaType, digest, size };
}

/** Does the manifest exist (HEAD by digest or tag)? */
export async function manifestExists(ctx: RepositoryContext, reference: string): Promise<boolean> {
  checkReference(ctx, reference);
  const res = await ctx.transport.send({
    method: 'HEAD',
    url: apiUrl(ctx, `manifests/${reference}`),
    headers: { accept: MANIFEST_ACCEPT },
    scopes: pullScopes(ctx),
    ctx: requestContext(ctx, 'check manifest', reference),
  });
  await res.body.dump();
  if (res.status === 200) return true;
  if (res.status === 404) return false;
  throw await ctx.transport.errorFrom(res, requestContext(ctx, 'check manifest', reference));
}

/**
 * PUT manifest bytes under a tag or their digest, `Content-Type` = the manifest's media type.
 * Returns the descriptor and whether the registry took care of the subject (`OCI-Subject`).
 */
export async function putManifest(
  ctx: RepositoryContext,
  bytes: Uint8Array,
  mediaType: string,
  reference?: string,
): Promise<{ descriptor: Descriptor; subjectHandled: boolean }> {
  if (bytes.length > MAX_MANIFEST_BYTES) throw tooLarge(ctx, reference ?? 'new manifest', bytes.length);
  const digest = digestOf(bytes);
  const ref = reference ?? digest;
  checkReference(ctx, ref);
  if (isValidDigest(ref)) {
    const actual = digestOf(bytes, parseDigest(ref).algorithm);
    if (actual !== ref) {
      throw new ProvisioningError(
        'DIGEST_MISMATCH',
        `manifest for ${describeRef(ctx, ref)} hashes to ${actual}`,
        {
          hint: 'push the manifest under its own digest or a tag',
          details: { reference: ref, actual },
        },
      );
    }
  }
  const res = await ctx.transport.expect(
    {
      method: 'PUT',
      url: apiUrl(ctx, `manifests/${ref}`),
      headers: { 'content-type': mediaType, 'content-length': String(bytes.length), accept: MANIFEST_ACCEPT },
      body: bytes,
      scopes: pushScopes(ctx),
      ctx: requestContext(ctx, 'push manifest', ref),
    },
    [201, 200, 202],
  );
  await res.body.dump();
  return {
    descriptor: { mediaType, digest: isValidDigest(ref) ? ref : digest, size: bytes.length },
    subjectHandled: responseHeader(res.headers, 'oci-subject') !== undefined,
  };
}

/** DELETE a manifest by digest (a tag is resolved first); disabled deletion is a clear error. */
export async function deleteManifest(ctx: RepositoryContext, reference: string): Promise<string> {
  const digest = isValidDigest(reference) ? reference : (await resolveManifest(ctx, reference)).digest;
  const opCtx = requestContext(ctx, 'delete manifest', digest);
  const res = await ctx.transport.send({
    method: 'DELETE',
    url: apiUrl(ctx, `manifests/${digest}`),
    headers: { accept: MANIFEST_ACCEPT },
    scopes: [`repository:${ctx.name}:delete`, ...pushScopes(ctx)],
    ctx: opCtx,
  });
  if (res.status === 202 || res.status === 200 || res.status === 204) {
    await res.body.dump();
    return digest;
  }
  const error = await ctx.transport.errorFrom(res, opCtx);
  if (res.status === 405 || res.status === 400 || error.registryCode === 'UNSUPPORTED') {
    throw new RegistryError(
      'DELETE_DISABLED',
      `deletion disabled on this registry: cannot delete ${describeRef(ctx, reference)} (HTTP ${res.status})`,
      {
        status: res.status,
        registryCode: error.registryCode,
        hint: `ask the operator of ${ctx.host} to enable deletes (Distribution: storage.delete.enabled: true)`,
        details: { reference, digest },
      },
    );
  }
  throw error;
}
