/** Manifest endpoints: GET/HEAD/PUT/DELETE by tag or digest. */
import { isValidTag, MANIFEST_MEDIA_TYPES, MAX_MANIFEST_BYTES } from '@provisioning/schemas';
import { digestOf, isSupportedDigest, parseSupportedDigest } from '../layout/digest.js';
import {
  isIndexMediaType,
  manifestChildren,
  manifestMediaType,
  type ParsedManifest,
  parseManifest,
  readCapped,
} from '../layout/manifest-json.js';
import type { OciLayout } from '../layout/oci-layout.js';
import type { Descriptor } from '../types.js';
import {
  type Exchange,
  existingRepository,
  reply,
  type ServerContext,
  writableRepository,
} from './context.js';
import { HttpProblem } from './http-problem.js';

const ACCEPTED = new Set(MANIFEST_MEDIA_TYPES);

function manifestUnknown(name: string, reference: string): HttpProblem {
  return new HttpProblem(404, 'MANIFEST_UNKNOWN', `manifest ${reference} not found in ${name}`);
}

/** Find a manifest by tag or digest; 404 for anything that is not a stored manifest. */
async function findManifest(
  layout: OciLayout,
  name: string,
  reference: string,
): Promise<{ desc: Descriptor; bytes: Buffer }> {
  if (!isSupportedDigest(reference) && !isValidTag(reference)) throw manifestUnknown(name, reference);
  let desc: Descriptor;
  try {
    desc = await layout.resolve(reference);
    const { bytes, manifest } = await layout.readManifest(desc);
    return { desc: { ...desc, mediaType: manifestMediaType(manifest) }, bytes };
  } catch {
    throw manifestUnknown(name, reference);
  }
}

export async function getManifest(
  ctx: ServerContext,
  ex: Exchange,
  name: string,
  reference: string,
): Promise<void> {
  const layout = await existingRepository(ctx, name);
  const { desc, bytes } = await findManifest(layout, name, reference);
  reply(
    ex,
    200,
    { 'Content-Type': desc.mediaType, 'Docker-Content-Digest': desc.digest, ETag: `"${desc.digest}"` },
    bytes,
  );
}

export async function putManifest(
  ctx: ServerContext,
  ex: Exchange,
  name: string,
  reference: string,
): Promise<void> {
  const byDigest = reference.includes(':');
  if (byDigest) parseSupportedDigest(reference, `manifest reference of ${name}`);
  else if (!isValidTag(reference))
    throw new HttpProblem(400, 'TAG_INVALID', `invalid tag ${JSON.stringify(reference.slice(0, 140))}`);
  const declared = Number(ex.req.headers['content-length'] ?? 0);
  if (declared > MAX_MANIFEST_BYTES) throw tooLarge();
  const bytes = await readCapped(ex.req, MAX_MANIFEST_BYTES, `manifest upload to ${name}`).catch(
    (error: unknown) => {
      throw (error as { code?: string }).code === 'MANIFEST_TOO_LARGE' ? tooLarge() : error;
    },
  );
  const manifest = parseManifest(bytes, `manifest upload to ${name}:${reference}`);
  const mediaType = checkMediaType(ex.req.headers['content-type'], manifest);
  const digest = byDigest
    ? digestOf(bytes, parseSupportedDigest(reference, 'manifest reference').algorithm)
    : digestOf(bytes);
  if (byDigest && digest !== reference) {
    throw new HttpProblem(400, 'DIGEST_INVALID', `manifest content hashes to ${digest}, not ${reference}`);
  }
  const layout = await writableRepository(ctx, name);
  await checkReferencedContent(layout, manifest, mediaType);
  const desc: Descriptor = { mediaType, digest, size: bytes.length };
  if (typeof manifest.artifactType === 'string') desc.artifactType = manifest.artifactType;
  await layout.push(desc, bytes);
  if (byDigest) await layout.addManifest(desc);
  else await layout.tag(desc, reference);
  const headers: Record<string, string> = {
    Location: `/v2/${name}/manifests/${digest}`,
    'Docker-Content-Digest': digest,
  };
  if (manifest.subject?.digest) headers['OCI-Subject'] = manifest.subject.digest;
  reply(ex, 201, headers);
}

export async function deleteManifest(
  ctx: ServerContext,
  ex: Exchange,
  name: string,
  reference: string,
): Promise<void> {
  const layout = await existingRepository(ctx, name);
  if (isSupportedDigest(reference)) {
    const { desc } = await findManifest(layout, name, reference);
    await layout.delete(desc);
  } else if (!isValidTag(reference) || !(await layout.untag(reference))) {
    throw manifestUnknown(name, reference);
  }
  reply(ex, 202, {});
}

function tooLarge(): HttpProblem {
  return new HttpProblem(413, 'MANIFEST_INVALID', `manifest is larger than ${MAX_MANIFEST_BYTES} bytes`);
}

/** The stored media type: the request's Content-Type, which must agree with the manifest's own. */
function checkMediaType(contentType: string | undefined, manifest: ParsedManifest): string {
  const declared = contentType?.split(';')[0]?.trim();
  const own = typeof manifest.mediaType === 'string' ? manifest.mediaType : undefined;
  const mediaType = declared && ACCEPTED.has(declared) ? declared : manifestMediaType(manifest);
  if (!ACCEPTED.has(mediaType)) {
    throw new HttpProblem(400, 'MANIFEST_INVALID', `unsupported manifest media type ${mediaType}`);
  }
  if (own !== undefined && own !== mediaType) {
    throw new HttpProblem(
      400,
      'MANIFEST_INVALID',
      `Content-Type ${mediaType} does not match the manifest's mediaType ${own}`,
    );
  }
  if (isIndexMediaType(mediaType) !== 'manifests' in manifest) {
    throw new HttpProblem(400, 'MANIFEST_INVALID', `manifest body does not have the shape of ${mediaType}`);
  }
  return mediaType;
}

/** Every blob (or child manifest) the manifest needs must already be in the repository. */
async function checkReferencedContent(
  layout: OciLayout,
  manifest: ParsedManifest,
  mediaType: string,
): Promise<void> {
  const children = manifestChildren(manifest);
  for (const child of children) {
    if (
      typeof child !== 'object' ||
      child === null ||
      !isSupportedDigest(child.digest) ||
      typeof child.size !== 'number'
    ) {
      throw new HttpProblem(400, 'MANIFEST_INVALID', `manifest references an invalid descriptor`, {
        descriptor: child,
      });
    }
    if ((child.urls?.length ?? 0) > 0 && !isIndexMediaType(mediaType)) continue; // foreign layer
    if (!(await layout.exists(child))) {
      throw new HttpProblem(
        400,
        'MANIFEST_BLOB_UNKNOWN',
        `referenced ${isIndexMediaType(mediaType) ? 'manifest' : 'blob'} ${child.digest} is not in the repository`,
        {
          digest: child.digest,
        },
      );
    }
  }
}
