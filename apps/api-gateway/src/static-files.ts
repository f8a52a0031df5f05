/**
 * The control-center UI: files of one directory, streamed, with SPA fallback to index.html for any
 * other non-`/api` path. Paths that leave the directory are refused.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export async function serveStaticFile(dir: string, urlPath: string): Promise<Response | undefined> {
  const root = resolve(dir);
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const wanted = resolve(join(root, decoded));
  const inside = wanted === root || wanted.startsWith(root + sep);
  const file = inside && (await isFile(wanted)) ? wanted : join(root, 'index.html');
  if (!(await isFile(file))) return undefined;
  const body = Readable.toWeb(createReadStream(file)) as ReadableStream;
  return new Response(body, {
    headers: { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' },
  });
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}
