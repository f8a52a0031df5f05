/**
 * Upload endpoints: POST (monolithic with `?digest=`, cross-repository mount, or session start),
 * PATCH (streamed or `Content-Range` chunks), PUT `?digest=` (finish), GET (status), DELETE (cancel).
 */
import { parseSupportedDigest } from '../layout/digest.js';
import { isValidRepositoryName } from '../layout/layout-store.js';
import { type Exchange, reply, type ServerContext, writableRepository } from './context.js';
import { HttpProblem } from './http-problem.js';
import type { UploadSession } from './upload-sessions.js';

function requestedDigest(ex: Exchange): string {
  const digest = ex.url.searchParams.get('digest');
  if (digest === null) throw new HttpProblem(400, 'DIGEST_INVALID', 'the digest query parameter is required');
  try {
    parseSupportedDigest(digest, 'upload');
  } catch {
    throw new HttpProblem(400, 'DIGEST_INVALID', `invalid digest ${JSON.stringify(digest.slice(0, 80))}`);
  }
  return digest;
}

function sessionHeaders(session: UploadSession): Record<string, string> {
  return {
    Location: `/v2/${session.name}/blobs/uploads/${session.uuid}`,
    'Docker-Upload-UUID': session.uuid,
    Range: `0-${Math.max(0, session.offset - 1)}`,
  };
}

export async function startUpload(ctx: ServerContext, ex: Exchange, name: string): Promise<void> {
  const layout = await writableRepository(ctx, name);
  const mount = ex.url.searchParams.get('mount');
  if (mount !== null && (await tryMount(ctx, ex, name, mount))) return;
  const session = await ctx.uploads.start(name, layout);
  if (ex.url.searchParams.has('digest')) {
    try {
      const digest = requestedDigest(ex);
      await withSession(session, () => ctx.uploads.append(session, ex.req));
      await finish(ctx, ex, session, digest);
    } finally {
      await ctx.uploads.end(session);
    }
    return;
  }
  ex.req.resume(); // a start request carries no content
  reply(ex, 202, sessionHeaders(session));
}

/** 201 when the blob could be linked from `from` (or is here already); false → start an upload. */
async function tryMount(ctx: ServerContext, ex: Exchange, name: string, digest: string): Promise<boolean> {
  try {
    parseSupportedDigest(digest, 'mount');
  } catch {
    throw new HttpProblem(
      400,
      'DIGEST_INVALID',
      `invalid mount digest ${JSON.stringify(digest.slice(0, 80))}`,
    );
  }
  const target = await writableRepository(ctx, name);
  const from = ex.url.searchParams.get('from');
  let mounted = (await target.blobSize(digest)) !== undefined;
  if (
    !mounted &&
    from !== null &&
    isValidRepositoryName(from) &&
    from !== name &&
    (await ctx.store.has(from))
  ) {
    const source = await ctx.store.repository(from, { create: false });
    const size = await source.blobSize(digest);
    if (size !== undefined)
      mounted = await target.linkBlobFrom(source, { mediaType: 'application/octet-stream', digest, size });
  }
  if (!mounted) return false;
  ex.req.resume();
  reply(ex, 201, { Location: `/v2/${name}/blobs/${digest}`, 'Docker-Content-Digest': digest });
  return true;
}

function getSession(ctx: ServerContext, name: string, uuid: string): UploadSession {
  const session = ctx.uploads.get(name, uuid);
  if (!session)
    throw new HttpProblem(404, 'BLOB_UPLOAD_UNKNOWN', `upload ${uuid.slice(0, 80)} not found for ${name}`);
  return session;
}

/** One request at a time per session: chunks must arrive in order. */
async function withSession<T>(session: UploadSession, work: () => Promise<T>): Promise<T> {
  if (session.busy) {
    throw new HttpProblem(
      416,
      'BLOB_UPLOAD_INVALID',
      'another request is writing to this upload',
      undefined,
      {
        Range: `0-${Math.max(0, session.offset - 1)}`,
      },
    );
  }
  session.busy = true;
  try {
    return await work();
  } finally {
    session.busy = false;
  }
}

/** A `Content-Range: start-end` chunk must start at the current offset and match Content-Length. */
function checkContentRange(ex: Exchange, session: UploadSession): void {
  const header = ex.req.headers['content-range'];
  if (header === undefined) return;
  const match = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/.exec(header.trim());
  const mismatch = (why: string) =>
    new HttpProblem(416, 'BLOB_UPLOAD_INVALID', why, undefined, { ...sessionHeaders(session) });
  if (!match) throw mismatch(`invalid Content-Range ${JSON.stringify(header.slice(0, 80))}`);
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (start !== session.offset) throw mismatch(`chunk starts at ${start}, upload is at ${session.offset}`);
  if (end < start) throw mismatch('Content-Range end is before its start');
  const length = ex.req.headers['content-length'];
  if (length !== undefined && Number(length) !== end - start + 1) {
    throw mismatch(`Content-Range covers ${end - start + 1} bytes, Content-Length says ${length}`);
  }
}

export async function patchUpload(
  ctx: ServerContext,
  ex: Exchange,
  name: string,
  uuid: string,
): Promise<void> {
  const session = getSession(ctx, name, uuid);
  await withSession(session, async () => {
    checkContentRange(ex, session);
    await ctx.uploads.append(session, ex.req);
  });
  reply(ex, 202, sessionHeaders(session));
}

export async function putUpload(ctx: ServerContext, ex: Exchange, name: string, uuid: string): Promise<void> {
  const session = getSession(ctx, name, uuid);
  const digest = requestedDigest(ex);
  await withSession(session, async () => {
    checkContentRange(ex, session);
    await ctx.uploads.append(session, ex.req);
  });
  await finish(ctx, ex, session, digest);
}

async function finish(
  ctx: ServerContext,
  ex: Exchange,
  session: UploadSession,
  digest: string,
): Promise<void> {
  try {
    const actual = await ctx.uploads.digest(session, parseSupportedDigest(digest, 'upload').algorithm);
    if (actual !== digest) {
      throw new HttpProblem(400, 'DIGEST_INVALID', `uploaded content hashes to ${actual}, not ${digest}`, {
        digest,
      });
    }
    await session.layout.commitBlob(session.path, digest);
  } finally {
    await ctx.uploads.end(session);
  }
  reply(ex, 201, { Location: `/v2/${session.name}/blobs/${digest}`, 'Docker-Content-Digest': digest });
}

export async function uploadStatus(
  ctx: ServerContext,
  ex: Exchange,
  name: string,
  uuid: string,
): Promise<void> {
  reply(ex, 204, sessionHeaders(getSession(ctx, name, uuid)));
}

export async function cancelUpload(
  ctx: ServerContext,
  ex: Exchange,
  name: string,
  uuid: string,
): Promise<void> {
  await ctx.uploads.end(getSession(ctx, name, uuid));
  reply(ex, 204, {});
}
