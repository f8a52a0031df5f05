/**
 * Rules for a path inside an extension (and inside its tarball). The same rules apply when we
 * validate a directory and when we unpack an archive, so whatever we pack can be unpacked and
 * no name can alias another one or escape the target on any common file system.
 */
export const MAX_PATH_BYTES = 1024;
export const MAX_SEGMENT_BYTES = 255;
export const MAX_DEPTH = 32;

// C0/C1 controls and DEL; invisible and bidirectional formatting characters (they make two
// different names look identical in a listing).
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const INVISIBLE = /[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/** Why `name` (a relative POSIX path, no trailing slash) is unsafe, or `undefined` when it is fine. */
export function entryNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'empty path';
  if (name.includes('\u0000')) return 'path contains a NUL byte';
  if (CONTROL.test(name)) return 'path contains a control character';
  if (name.startsWith('/')) return 'absolute path';
  if (name.includes('\\')) return 'path contains a backslash';
  if (name.includes(':')) return 'path contains ":" (drive letter or alternate data stream on Windows)';
  if (INVISIBLE.test(name)) return 'path contains an invisible or bidirectional formatting character';
  if (name !== name.normalize('NFC')) return 'path is not in Unicode NFC form (could alias another name)';
  if (Buffer.byteLength(name) > MAX_PATH_BYTES) return `path longer than ${MAX_PATH_BYTES} bytes`;
  const segments = name.split('/');
  if (segments.length > MAX_DEPTH) return `path deeper than ${MAX_DEPTH} levels`;
  for (const segment of segments) {
    if (segment === '') return 'path has an empty segment ("//" or trailing "/")';
    if (segment === '.' || segment === '..') return `path has a "${segment}" segment`;
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES)
      return `path segment longer than ${MAX_SEGMENT_BYTES} bytes`;
  }
  return undefined;
}

/**
 * Key under which two names collide on case-insensitive or normalisation-insensitive file
 * systems (macOS, Windows): `README.md` and `readme.md` must not both exist.
 */
export function aliasKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}
