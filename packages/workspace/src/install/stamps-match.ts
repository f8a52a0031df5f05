/**
 * Comparing a generation's files with their install-time stamps (stamps.ts says what a stamp is).
 * Node built-ins only: the no-op answer replay (noop-answers.ts) runs this before any library loads.
 */
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listFilesSync } from './tree-files.js';

export const STAMPS_FILE = '.stamps.json';

/** module subdir (`taskservs/etcd`) → file path → [size, ctimeMs, ino] */
export type GenerationStamps = Record<string, Record<string, [number, number, number]>>;

function stampOf(abs: string): [number, number, number] {
  const info = lstatSync(abs);
  return [info.size, info.ctimeMs, info.ino];
}

export function stampFiles(moduleDir: string, files: readonly string[]): GenerationStamps[string] {
  const out: GenerationStamps[string] = {};
  for (const path of files) out[path] = stampOf(join(moduleDir, path));
  return out;
}

/** Synchronous, like the tree store's walks (tree-files.ts says why). */
export function stampModule(moduleDir: string): GenerationStamps[string] {
  const out: GenerationStamps[string] = {};
  for (const [path, abs] of listFilesSync(moduleDir)) out[path] = stampOf(abs);
  return out;
}

export function readStampsSync(generationDir: string): GenerationStamps | undefined {
  try {
    return JSON.parse(readFileSync(join(generationDir, STAMPS_FILE), 'utf8')) as GenerationStamps;
  } catch {
    return undefined;
  }
}

/** True when every file of the module is exactly as stamped (same set, size, ctime, inode). */
export function moduleMatchesStamps(
  moduleDir: string,
  stamps: GenerationStamps[string] | undefined,
): boolean {
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

/** True when the generation has stamps and every module it stamped is exactly as stamped. */
export function generationMatchesStamps(generationDir: string): boolean {
  const stamps = readStampsSync(generationDir);
  if (!stamps) return false;
  return Object.entries(stamps).every(([subdir, files]) =>
    moduleMatchesStamps(join(generationDir, subdir), files),
  );
}
