/**
 * What a generation remembers about itself (docs/workspaces.md, "Install history and rollback"):
 * its number, when and by which command it was made, the config pins it was made for and the core
 * that made it. The record is written into the generation before the switch; the `.committed`
 * marker after it. A generation that is neither current nor committed is the unfinished build of a
 * killed run, and the next run removes it.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type Lockfile, parseYamlData, writeFileAtomic } from '@provisioning/schemas';
import { type ExtensionType, GENERATION_LOCK, generationsDir } from './layout-paths.js';
import { readParsedLockfile } from './parsed-lockfile.js';

export const GENERATION_RECORD = '.generation.json';
export const COMMITTED_MARKER = '.committed';

/** One module reference of `dependencies.extensions.modules`, as written in the config. */
export interface ConfigPin {
  type: ExtensionType;
  name: string;
  reference: string;
}

export interface GenerationRecord {
  /** 1, 2, 3…: never reused, also after a rollback. */
  number: number;
  /** ISO 8601 time of the install. */
  created: string;
  /** The command that made it (`dep resolve`, `dep update redis --to 0.9.0`). */
  command: string;
  /** The config's module references this generation was installed for, in config order. */
  pins?: ConfigPin[];
}

export interface GenerationEntry extends GenerationRecord {
  /** Directory name under `.provisioning/generations/`. */
  id: string;
  dir: string;
  committed: boolean;
  /** The core version its lockfile records. */
  coreVersion?: string;
  /** name → version from its lockfile. */
  modules: Record<string, string>;
}

export async function writeGenerationRecord(dir: string, record: GenerationRecord): Promise<void> {
  await writeFileAtomic(join(dir, GENERATION_RECORD), `${JSON.stringify(record, null, 2)}\n`);
}

export async function markCommitted(dir: string): Promise<void> {
  await writeFileAtomic(join(dir, COMMITTED_MARKER), '');
}

/** The lockfile a generation was installed with, or undefined when it has none (unfinished). */
export async function generationLockfile(dir: string): Promise<Lockfile | undefined> {
  const text = await readFile(join(dir, GENERATION_LOCK), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  return (
    (await readParsedLockfile(dir, text)) ??
    (parseYamlData(text, { file: join(dir, GENERATION_LOCK) }) as Lockfile)
  );
}

/**
 * Every generation directory with its record, oldest first. A generation installed before records
 * were kept gets number 0 and its directory's time; `recoverWorkspace` numbers a current one.
 */
export async function listGenerations(workspaceRoot: string): Promise<GenerationEntry[]> {
  const root = generationsDir(workspaceRoot);
  const names = await readdir(root).catch(() => [] as string[]);
  const entries = await Promise.all(
    names.map(async (id): Promise<GenerationEntry | undefined> => {
      const dir = join(root, id);
      const info = await stat(dir).catch(() => undefined);
      if (!info?.isDirectory()) return undefined;
      const record = await readRecord(dir);
      const committed = await stat(join(dir, COMMITTED_MARKER)).then(
        () => true,
        () => false,
      );
      const lock = await generationLockfile(dir).catch(() => undefined);
      return {
        number: record?.number ?? 0,
        created: record?.created ?? info.mtime.toISOString(),
        command: record?.command ?? 'unknown (installed before the history was kept)',
        ...(record?.pins ? { pins: record.pins } : {}),
        id,
        dir,
        committed,
        ...(lock?.core?.version ? { coreVersion: lock.core.version } : {}),
        modules: Object.fromEntries(Object.entries(lock?.modules ?? {}).map(([n, m]) => [n, m.version])),
      };
    }),
  );
  return entries
    .filter((e): e is GenerationEntry => e !== undefined)
    .sort((a, b) => a.number - b.number || a.created.localeCompare(b.created));
}

/** The number the next generation gets. */
export function nextGenerationNumber(generations: GenerationEntry[]): number {
  return generations.reduce((max, g) => Math.max(max, g.number), 0) + 1;
}

/** The generation `dep rollback` without an argument returns to: the newest one older than `current`. */
export function previousGeneration(
  generations: GenerationEntry[],
  current: GenerationEntry | undefined,
): GenerationEntry | undefined {
  if (!current) return undefined;
  return generations.filter((g) => g.committed && g.id !== current.id && g.number < current.number).at(-1);
}

export function findCurrent(generations: GenerationEntry[], currentDir: string | undefined) {
  return currentDir === undefined ? undefined : generations.find((g) => g.id === basename(currentDir));
}

async function readRecord(dir: string): Promise<GenerationRecord | undefined> {
  try {
    const value = JSON.parse(await readFile(join(dir, GENERATION_RECORD), 'utf8')) as GenerationRecord;
    return typeof value.number === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}
