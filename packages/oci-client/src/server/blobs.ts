/** Blob endpoints: GET (whole, verified while streaming, or one byte range) / HEAD / DELETE. */
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseSupportedDigest } from '../layout/digest.js';
import { type Exchange, existingRepository, reply, type ServerContext } from './context.js';
import { HttpProblem } from './http-problem.js';

function checkDigest(digest: string): void {
  try {
    parseSupportedDigest(digest, 'blob request');
  } catch {
    throw new HttpProblem(400, 'DIGEST_INVALID', `invalid digest ${JSON.stringify(digest.slice(0, 80))}`);
  }
}

export async function getBlob(ctx: ServerContext, ex: Exchange, name: string, digest: string): Promise<void> {
  checkDigest(digest);
  const layout = await existingRepository(ctx, name);
  const size = await layout.blobSize(digest);
  if (size === undefined)
    throw new HttpProblem(404, 'BLOB_UNKNOWN', `blob ${digest} not found in ${name}`, { digest });
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/octet-stream',
    'Docker-Content-Digest': digest,
    'Accept-Ranges': 'bytes',
    ETag: `"${digest}"`,
  };
  const range = parseRange(ex.req.headers.range, size);
  if (range === 'unsatisfiable') {
    throw new HttpProblem(416, 'BLOB_UNKNOWN', `range ${ex.req.headers.range} not satisfiable`, undefined, {
      'Content-Range': `bytes */${size}`,
    });
  }
  if (ex.head) {
    reply(ex, 200, { ...headers, 'Content-Length': size });
    return;
  }
  if (range) {
    ex.res.writeHead(206, {
      ...headers,
      'Content-Range': `bytes ${range.start}-${range.end}/${size}`,
      'Content-Length': range.end - range.start + 1,
    });
    await pipeline(createReadStream(layout.blobPath(digest), range), ex.res);
    return;
  }
  const content = await layout.fetch({ mediaType: 'application/octet-stream', digest, size });
  ex.res.writeHead(200, { ...headers, 'Content-Length': size });
  // The last chunk is held back until the digest is verified: a corrupted file ends in a cut
  // connection (a short body), never in a complete-looking response.
  await pipeline(content, holdLastChunk(), ex.res);
}

export async function deleteBlob(
  ctx: ServerContext,
  ex: Exchange,
  name: string,
  digest: string,
): Promise<void> {
  checkDigest(digest);
  const layout = await existingRepository(ctx, name);
  const size = await layout.blobSize(digest);
  if (size === undefined)
    throw new HttpProblem(404, 'BLOB_UNKNOWN', `blob ${digest} not found in ${name}`, { digest });
  await layout.delete({ mediaType: 'application/octet-stream', digest, size });
  reply(ex, 202, {});
}

/** A single `bytes=start-end` / `bytes=start-` / `bytes=-suffix` range; undefined = whole blob. */
function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined; // ignore what we do not understand
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

function holdLastChunk(): Transform {
  let held: Buffer | undefined;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const previous = held;
      held = chunk;
      done(null, previous);
    },
    flush(done) {
      done(null, held);
    },
  });
}
