import { Readable } from 'node:stream';
import type { Descriptor } from './types.js';

/**
 * Streams that already check their bytes against a descriptor — size and digest, erroring before
 * they end — are remembered here, so a consumer that would hash the same bytes again (a copy from
 * a registry into a layout, or from a layout to a registry) skips its own pass. Hashing twice cost
 * about a tenth of a large copy's time.
 */
const verifiedAs = new WeakMap<Readable, string>();

const key = (desc: Descriptor) => `${desc.digest} ${desc.size}`;

export function markVerified<T extends Readable>(stream: T, desc: Descriptor): T {
  verifiedAs.set(stream, key(desc));
  return stream;
}

/** True when `content` is a stream that errors unless it yields exactly the bytes of `desc`. */
export function isVerifiedAs(content: unknown, desc: Descriptor): boolean {
  return content instanceof Readable && verifiedAs.get(content) === key(desc);
}
