/**
 * Stat stamps of an installed generation (size, ctime, inode of every file, taken when it was
 * committed), so a run that changes nothing can tell its modules are untouched without hashing
 * every file: any write, rename or replacement changes ctime or inode, and user tools cannot set
 * ctime back. A module whose stamps differ is verified fully against its sha256 list. `dep validate`
 * always hashes.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@provisioning/schemas';
import { EXTENSION_TYPES } from './layout-paths.js';
import {
  type GenerationStamps,
  moduleMatchesStamps,
  readStampsSync,
  STAMPS_FILE,
  stampFiles,
  stampModule,
} from './stamps-match.js';

export { type GenerationStamps, STAMPS_FILE } from './stamps-match.js';

/**
 * Stamps every module of the generation; `known` gives a module's file list when the caller has it
 * (what it just linked), so only modules without one are walked.
 */
export async function writeStamps(
  generationDir: string,
  known?: ReadonlyMap<string, readonly string[]>,
): Promise<void> {
  const stamps: GenerationStamps = {};
  for (const type of EXTENSION_TYPES) {
    for (const name of await readdir(join(generationDir, `${type}s`)).catch(() => [] as string[])) {
      const subdir = `${type}s/${name}`;
      const files = known?.get(subdir);
      const moduleDir = join(generationDir, subdir);
      stamps[subdir] = files ? stampFiles(moduleDir, files) : stampModule(moduleDir);
    }
  }
  await writeFileAtomic(join(generationDir, STAMPS_FILE), JSON.stringify(stamps));
}

export async function readStamps(generationDir: string): Promise<GenerationStamps | undefined> {
  return readStampsSync(generationDir);
}

/** True when every file of the module is exactly as stamped (same set, size, ctime, inode). */
export async function matchesStamps(
  moduleDir: string,
  stamps: GenerationStamps[string] | undefined,
): Promise<boolean> {
  return moduleMatchesStamps(moduleDir, stamps);
}
