import { Readable } from 'node:stream';

/** Opens the content from its start: a file again, or a fresh GET of a blob. */
export type ContentOpener = () => Promise<Readable> | Readable;

const openers = new WeakMap<Readable, ContentOpener>();

/**
 * Content that can be read again from the start, passed where a `Readable` is expected. It opens
 * lazily on first read, so a consumer that only reads it once (a layout) sees an ordinary stream,
 * while an upload that must start over after a refused or broken request (429, 502, a lost upload
 * session) opens it again with `openerOf` instead of giving up on a spent body.
 */
export function reopenable(open: ContentOpener): Readable {
  const stream = Readable.from(
    (async function* () {
      yield* await open();
    })(),
    { objectMode: false },
  );
  openers.set(stream, open);
  return stream;
}

/** How to open `content` again, when it came from `reopenable`. */
export function openerOf(content: unknown): ContentOpener | undefined {
  return content instanceof Readable ? openers.get(content) : undefined;
}
