/**
 * `kubernetes:v1.28.0` and `kubernetes:1.28.0` name the same version (docs/oci.md, "Tags"): when the
 * spelling asked for is not published and the other one is, the other one is used.
 */
import { isNotFound } from '../repository/not-found-error.js';

const VERSION = /^v?\d+\.\d+\.\d+(?:[-+].*)?$/;

/** `v1.2.3` ↔ `1.2.3`; undefined for a tag that is not a version. */
export function otherVersionSpelling(tag: string): string | undefined {
  if (!VERSION.test(tag)) return undefined;
  return tag.startsWith('v') ? tag.slice(1) : `v${tag}`;
}

/** Runs `read(tag)`; on "not found", once more with the other spelling, else the first error stands. */
export async function withVersionTagFallback<T>(
  tag: string,
  read: (tag: string) => Promise<T>,
): Promise<{ tag: string; value: T }> {
  try {
    return { tag, value: await read(tag) };
  } catch (error) {
    const other = otherVersionSpelling(tag);
    if (other === undefined || !isNotFound(error)) throw error;
    try {
      return { tag: other, value: await read(other) };
    } catch (second) {
      if (isNotFound(second)) throw error;
      throw second;
    }
  }
}
