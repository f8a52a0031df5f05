import { compareStrings } from '../problems.js';

/** `oci-manifest.json` at the root of every tarball: what was packed, so unpack can verify it. */
export interface OciManifestFile {
  name: string;
  version: string;
  type: string;
  /** Every regular file except oci-manifest.json itself, sorted by path. */
  files: { path: string; size: number; sha256: string }[];
}

/** Deterministic bytes: fixed key order, files sorted, no timestamps. */
export function serializeOciManifestFile(content: OciManifestFile): Buffer {
  const ordered = {
    name: content.name,
    version: content.version,
    type: content.type,
    files: [...content.files]
      .sort((a, b) => compareStrings(a.path, b.path))
      .map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 })),
  };
  return Buffer.from(`${JSON.stringify(ordered, null, 2)}\n`, 'utf8');
}

/** Parses and checks the shape; returns a reason string instead of throwing on bad input. */
export function parseOciManifestFile(bytes: Buffer): OciManifestFile | string {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return 'not valid JSON';
  }
  const v = value as Partial<OciManifestFile>;
  if (typeof v !== 'object' || v === null) return 'not a JSON object';
  if (typeof v.name !== 'string' || typeof v.version !== 'string' || typeof v.type !== 'string') {
    return 'name, version and type must be strings';
  }
  if (!Array.isArray(v.files)) return '"files" must be a list';
  for (const file of v.files) {
    if (
      typeof file !== 'object' ||
      file === null ||
      typeof file.path !== 'string' ||
      !Number.isSafeInteger(file.size) ||
      file.size < 0 ||
      typeof file.sha256 !== 'string' ||
      !/^[a-f0-9]{64}$/.test(file.sha256)
    ) {
      return `bad file entry ${JSON.stringify(file)?.slice(0, 200)}`;
    }
  }
  return { name: v.name, version: v.version, type: v.type, files: v.files };
}
