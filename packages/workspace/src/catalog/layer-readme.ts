/**
 * An extension's README (`docs/README.md`, or `README.md` at its top) read from its content layer:
 * the gzipped tar is streamed and only that entry is kept (capped), so the layer is never held in
 * memory; reading stops once it is found.
 */
import { createGunzip } from 'node:zlib';
import type { ContentTarget, Descriptor } from '@provisioning/oci-client';
import * as tar from 'tar-stream';

/** Larger READMEs are cut here (the UI shows a page, not a book). */
export const MAX_README_BYTES = 256 * 1024;

const README = /^(?:\.\/)?(?:[^/]+\/)?(?:docs\/)?readme\.md$/i;

export async function readLayerReadme(target: ContentTarget, layer: Descriptor): Promise<string | null> {
  const source = await target.fetch(layer);
  const gunzip = createGunzip();
  const extract = tar.extract();
  return new Promise<string | null>((resolve, reject) => {
    let done = false;
    const finish = (value: string | null, error?: unknown) => {
      if (done) return;
      done = true;
      source.destroy();
      gunzip.destroy();
      extract.destroy();
      if (error) reject(error);
      else resolve(value);
    };
    extract.on('entry', (header, stream, next) => {
      if (header.type !== 'file' || !README.test(header.name)) {
        stream.on('end', next);
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (data: unknown) => {
        const chunk = data as Buffer;
        if (size < MAX_README_BYTES) chunks.push(chunk.subarray(0, MAX_README_BYTES - size));
        size += chunk.length;
      });
      stream.on('end', () => finish(Buffer.concat(chunks).toString('utf8')));
      stream.on('error', (error) => finish(null, error));
    });
    extract.on('finish', () => finish(null));
    extract.on('error', (error) => finish(null, error));
    source.on('error', (error) => finish(null, error));
    gunzip.on('error', (error) => finish(null, error));
    source.pipe(gunzip).pipe(extract);
  });
}
