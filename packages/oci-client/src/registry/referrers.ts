import { MAX_MANIFEST_BYTES, MediaTypes, parseDigest } from '@provisioning/schemas';
import { RegistryError } from '../http/errors.js';
import { readCappedBytes, responseHeader } from '../http/transport.js';
import type { Descriptor, ImageIndex } from '../types.js';
import { apiUrl, describeRef, pullScopes, type RepositoryContext, requestContext } from './context.js';
import { fetchManifest, putManifest } from './manifests.js';
import { isIndexMediaType } from './media.js';

/** Tag of the referrers fallback index for a subject: `sha256-<hex>`. */
export function referrersTag(subjectDigest: string): string {
  const { algorithm, hex } = parseDigest(subjectDigest);
  return `${algorithm}-${hex}`;
}

function descriptorsOf(json: Record<string, unknown>): Descriptor[] {
  const manifests = json.manifests;
  if (!Array.isArray(manifests)) return [];
  return manifests.filter(
    (m): m is Descriptor =>
      typeof m === 'object' &&
      m !== null &&
      typeof (m as Descriptor).digest === 'string' &&
      typeof (m as Descriptor).mediaType === 'string',
  );
}

/**
 * Manifests that name `subjectDigest` as their subject: the referrers API when the registry has
 * it, otherwise the `sha256-<hex>` tag schema (distribution-spec: a 404 means "use the tag").
 */
export async function listReferrers(
  ctx: RepositoryContext,
  subjectDigest: string,
  options: { artifactType?: string } = {},
): Promise<Descriptor[]> {
  parseDigest(subjectDigest);
  if (ctx.capabilities.referrersApi !== false) {
    const url = apiUrl(ctx, `referrers/${subjectDigest}`);
    if (options.artifactType) url.searchParams.set('artifactType', options.artifactType);
    const opCtx = requestContext(ctx, 'list referrers of', subjectDigest);
    const res = await ctx.transport.send({
      method: 'GET',
      url,
      headers: { accept: MediaTypes.ociImageIndex },
      scopes: pullScopes(ctx),
      ctx: opCtx,
    });
    const type = responseHeader(res.headers, 'content-type') ?? '';
    if (res.status === 200 && type.includes(MediaTypes.ociImageIndex)) {
      ctx.capabilities.referrersApi = true;
      const body = await readCappedBytes(res.body, MAX_MANIFEST_BYTES);
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch (cause) {
        throw new RegistryError(
          'REFERRERS_INVALID',
          `referrers of ${describeRef(ctx, subjectDigest)}: the registry sent invalid JSON`,
          {
            cause,
            hint: 'the registry does not follow the distribution spec; report it to its operator',
            details: { subject: subjectDigest },
          },
        );
      }
      const list =
        typeof parsed === 'object' && parsed !== null ? descriptorsOf(parsed as Record<string, unknown>) : [];
      const filtered = responseHeader(res.headers, 'oci-filters-applied')?.includes('artifactType');
      return options.artifactType && !filtered
        ? list.filter((d) => d.artifactType === options.artifactType)
        : list;
    }
    await res.body.dump();
    if (res.status !== 404 && res.status !== 200) throw await ctx.transport.errorFrom(res, opCtx);
    ctx.capabilities.referrersApi = false;
  }
  const index = await fallbackIndex(ctx, subjectDigest);
  const list = index === undefined ? [] : descriptorsOf(index);
  return options.artifactType ? list.filter((d) => d.artifactType === options.artifactType) : list;
}

/** The fallback index at `sha256-<hex>`, checked to really be an index (GitLab serves the subject there). */
async function fallbackIndex(
  ctx: RepositoryContext,
  subjectDigest: string,
): Promise<Record<string, unknown> | undefined> {
  const tag = referrersTag(subjectDigest);
  let fetched: Awaited<ReturnType<typeof fetchManifest>>;
  try {
    fetched = await fetchManifest(ctx, tag);
  } catch (error) {
    if (error instanceof RegistryError && error.status === 404) return undefined;
    throw error;
  }
  if (!isIndexMediaType(fetched.descriptor.mediaType) || !Array.isArray(fetched.json.manifests)) {
    throw new RegistryError(
      'REFERRERS_TAG_CONFLICT',
      `${describeRef(ctx, tag)} is not a referrers index (it is ${fetched.descriptor.mediaType})`,
      {
        hint: `the tag ${tag} is used for something else; remove it so referrers of ${subjectDigest} can be tracked`,
        details: { tag, subject: subjectDigest },
      },
    );
  }
  return fetched.json;
}

/**
 * Add `referrer` to the fallback index of its subject (read-modify-write of the `sha256-<hex>` tag).
 * Used when the registry did not confirm the subject with `OCI-Subject`.
 */
export async function addToFallbackIndex(
  ctx: RepositoryContext,
  subjectDigest: string,
  referrer: Descriptor,
): Promise<void> {
  const existing = await fallbackIndex(ctx, subjectDigest);
  const manifests = existing === undefined ? [] : descriptorsOf(existing);
  if (manifests.some((m) => m.digest === referrer.digest)) return;
  const index: ImageIndex = {
    schemaVersion: 2,
    mediaType: MediaTypes.ociImageIndex,
    manifests: [...manifests, referrer],
  };
  const bytes = Buffer.from(JSON.stringify(index));
  await putManifest(ctx, bytes, MediaTypes.ociImageIndex, referrersTag(subjectDigest));
}
