/**
 * A generation's lockfile kept parsed beside its text (`.provisioning.lock.json`), tied to that text
 * by its sha256: reading it back is a JSON parse instead of YAML plus the schema, and it is only
 * used for a lockfile whose bytes are exactly the ones it was made from.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Lockfile, writeFileAtomic } from '@provisioning/schemas';
import { GENERATION_LOCK_JSON } from './layout-paths.js';
import { sha256Hex } from './sha256-hex.js';

/** Raised whenever what the schema makes of a lockfile's text changes: older records are then ignored. */
const FORMAT = 1;

interface ParsedLockfile {
  format: number;
  /** Hex sha256 of the text. */
  text_sha256: string;
  lockfile: Lockfile;
}

export async function writeParsedLockfile(
  generationDir: string,
  text: string,
  lock: Lockfile,
): Promise<void> {
  const record: ParsedLockfile = { format: FORMAT, text_sha256: sha256Hex(text), lockfile: lock };
  await writeFileAtomic(join(generationDir, GENERATION_LOCK_JSON), JSON.stringify(record));
}

/** The parsed lockfile of `text`, when the generation holds one made from exactly that text. */
export async function readParsedLockfile(generationDir: string, text: string): Promise<Lockfile | undefined> {
  try {
    const record = JSON.parse(
      await readFile(join(generationDir, GENERATION_LOCK_JSON), 'utf8'),
    ) as ParsedLockfile;
    return record.format === FORMAT && record.text_sha256 === sha256Hex(text) ? record.lockfile : undefined;
  } catch {
    return undefined;
  }
}
