import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { OCI_MANIFEST_FILE } from '../extension-layout.js';
import { type OciManifestFile, parseOciManifestFile } from '../pack/oci-manifest-file.js';
import { digestMismatch, printable, unsafeArchive } from './archive-errors.js';

/** Every written file must be listed in oci-manifest.json with the same size and sha256, and vice versa. */
export async function verifyAgainstOciManifest(
  staging: string,
  written: Map<string, { size: number; sha256: string }>,
): Promise<OciManifestFile> {
  if (!written.has(OCI_MANIFEST_FILE))
    throw unsafeArchive(OCI_MANIFEST_FILE, 'missing: the archive cannot be verified');
  const parsed = parseOciManifestFile(await readFile(path.join(staging, OCI_MANIFEST_FILE)));
  if (typeof parsed === 'string') throw unsafeArchive(OCI_MANIFEST_FILE, parsed);
  const listed = new Map(parsed.files.map((f) => [f.path, f]));
  for (const [name, actual] of written) {
    if (name === OCI_MANIFEST_FILE) continue;
    const expected = listed.get(name);
    if (!expected) throw unsafeArchive(name, `not listed in ${OCI_MANIFEST_FILE}`);
    if (expected.size !== actual.size || expected.sha256 !== actual.sha256) {
      throw digestMismatch(
        `file "${printable(name)}"`,
        `sha256:${expected.sha256}`,
        `sha256:${actual.sha256}`,
      );
    }
  }
  for (const name of listed.keys()) {
    if (!written.has(name))
      throw unsafeArchive(name, `listed in ${OCI_MANIFEST_FILE} but missing from the archive`);
  }
  return parsed;
}
