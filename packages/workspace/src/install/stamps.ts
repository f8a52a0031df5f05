/**
 * Stat stamps of an installed generation (size, ctime, inode of every file, taken when it was
 * committed), so a run that changes nothing can tell its modules are untouched without hashing
 * every file: any write, rename or replacement changes ctime or inode, and user tools cannot set
 * ctime back. A module whose stamps differ is verified fully against its sha256 list. `dep validate`
 * always hashes.
 */
import { lstatSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@provisioning/schemas';
import { EXTENSION_TYPES } from './layout-paths.js';
import { listFilesSync } from './tree-files.js';

export const STAMPS_FILE = '.stamps.json';

/** module subdir (`taskservs/etcd`) → file path → [size, ctimeMs, ino] */
export type GenerationStamps = Record<string, Record<string, [number, number, number]>>;

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

function stampFiles(moduleDir: string, files: readonly string[]): GenerationStamps[string] {
  const out: GenerationStamps[string] = {};
  for (const path of files) {
    const info = lstatSync(join(moduleDir, path));
    out[path] = [info.size, info.ctimeMs, info.ino];
  }
  return out;
}

export async function readStamps(generationDir: string): Promise<GenerationStamps | undefined> {
  try {
    return JSON.parse(await readFile(join(generationDir, STAMPS_FILE), 'utf8')) as GenerationStamps;
  } catch {
    return undefined;
  }
}

/** True when every file of the module is exactly as stamped (same set, size, ctime, inode). */
export async function matchesStamps(
  moduleDir: string,
  stamps: GenerationStamps[string] | undefined,
): Promise<boolean> {
  if (!stamps) return false;
  try {
    const now = stampModule(moduleDir);
    const paths = Object.keys(stamps);
    if (Object.keys(now).length !== paths.length) return false;
    return paths.every((path) => {
      const a = stamps[path];
      const b = now[path];
      return a !== undefined && b !== undefined && a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
    });
  } catch {
    return false;
  }
}

/** Synchronous, like the tree store's walks (tree-files.ts says why). */
function stampModule(moduleDir: string): GenerationStamps[string] {
  return stampFiles(
    moduleDir,
    listFilesSync(moduleDir).map(([path]) => path),
  );
}
