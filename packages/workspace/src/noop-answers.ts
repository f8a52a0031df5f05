/**
 * `@provisioning/workspace/noop-answers`: the answer of a command that found nothing to do, kept in
 * `.provisioning/noop-answers.json` with everything it was computed from, so the same command can
 * print it again without loading any library (docs/performance.md, "The no-op answer"). Node
 * built-ins only: the CLI calls `replayNoopAnswer` before it loads its own code.
 *
 * An answer is replayed only while all of this still holds: the same key (the caller's: command
 * line, environment, build), the same current generation, every input file byte for byte the same
 * (or still absent), no run holding the workspace lock or a rollback in flight, and every installed
 * file as stamped at install. An answer is recorded only when none of its inputs changed since
 * shortly before the run that computed it started (dated by the file system's clock), so it cannot
 * pair an answer with an input the run did not see.
 */
import {
  existsSync,
  lstatSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { sha256Hex } from './install/sha256-hex.js';
import { generationMatchesStamps, STAMPS_FILE } from './install/stamps-match.js';
import {
  extensionsLink,
  GENERATION_LOCK,
  GENERATION_LOCK_JSON,
  rollbackMarkerPath,
  stateDir,
  workspaceLockPath,
} from './install/state-paths.js';

/** What the command printed. */
export interface NoopAnswer {
  stdout: string;
}

export interface RecordNoopAnswerOptions {
  /** Everything else the answer depends on, decided by the caller (command line, environment, build). */
  key: string;
  /** Files the answer was computed from; a missing one counts as "absent" and must stay absent. */
  inputs: readonly string[];
  answer: NoopAnswer;
  /** When the run that computed the answer started (ms since the epoch). */
  startedAt: number;
}

/** File name inside the workspace's `.provisioning/`. */
export const NOOP_ANSWERS_FILE = 'noop-answers.json';

const FORMAT = 1;
/** A few keys per workspace: `--frozen` or not, `--json` or not, a terminal or a pipe. */
const MAX_ENTRIES = 8;
/**
 * An input must have last changed this long before the run started. Linux dates file changes by a
 * clock that advances once per scheduler tick (4–10 ms), so a change made just after the start can
 * carry a time just before it.
 */
const SETTLED_MS = 100;

interface Entry {
  key: string;
  root: string;
  /** The `.provisioning/extensions` link's target. */
  generation: string;
  /** [path, hex sha256 of its bytes, or null when absent] */
  inputs: [string, string | null][];
  answer: NoopAnswer;
}

interface AnswersFile {
  format: number;
  entries: Entry[];
}

/** The recorded answer for `key` when nothing it depends on has changed; otherwise undefined. */
export function replayNoopAnswer(root: string, key: string): NoopAnswer | undefined {
  try {
    const entry = readEntries(root).find((e) => e.key === key && e.root === root);
    if (!entry || busy(root) || currentTarget(root) !== entry.generation) return undefined;
    if (!entry.inputs.every(([path, digest]) => fileDigest(path) === digest)) return undefined;
    if (!generationMatchesStamps(join(stateDir(root), entry.generation))) return undefined;
    return entry.answer;
  } catch {
    return undefined;
  }
}

/**
 * Keeps `answer` for `key`, replacing an older one; true when it was kept. Nothing is kept (and
 * nothing written) when the workspace is busy, has no generation, or an input changed too recently.
 */
export function recordNoopAnswer(root: string, options: RecordNoopAnswerOptions): boolean {
  try {
    const generation = currentTarget(root);
    if (generation === undefined || busy(root)) return false;
    const generationDir = join(stateDir(root), generation);
    const inputs = [
      ...options.inputs,
      join(generationDir, GENERATION_LOCK),
      join(generationDir, GENERATION_LOCK_JSON),
      join(generationDir, STAMPS_FILE),
    ];
    const entry: Entry = {
      key: options.key,
      root,
      generation,
      inputs: inputs.map((path) => [path, fileDigest(path)]),
      answer: options.answer,
    };
    const others = readEntries(root).filter((e) => e.key !== options.key);
    const file = join(stateDir(root), NOOP_ANSWERS_FILE);
    const temp = `${file}.tmp-${process.pid}`;
    const body: AnswersFile = { format: FORMAT, entries: [entry, ...others].slice(0, MAX_ENTRIES) };
    // a cache: a lost write costs one slow run, so no fsync; the rename keeps readers whole
    writeFileSync(temp, JSON.stringify(body));
    try {
      // the run's start on the file system's own clock (git's "racy" check, which also holds on a
      // network file system whose clock is not ours): the temp file's time minus how long we ran
      const before = lstatSync(temp).ctimeMs - (Date.now() - options.startedAt) - SETTLED_MS;
      const settled = [extensionsLink(root), ...inputs].every((path) => changedBefore(path, before));
      if (!settled || !generationMatchesStamps(generationDir)) {
        rmSync(temp, { force: true });
        return false;
      }
      renameSync(temp, file);
    } catch (err) {
      rmSync(temp, { force: true });
      throw err;
    }
    return true;
  } catch {
    return false;
  }
}

function readEntries(root: string): Entry[] {
  try {
    const file = JSON.parse(readFileSync(join(stateDir(root), NOOP_ANSWERS_FILE), 'utf8')) as AnswersFile;
    return file.format === FORMAT && Array.isArray(file.entries) ? file.entries : [];
  } catch {
    return [];
  }
}

function busy(root: string): boolean {
  return existsSync(workspaceLockPath(root)) || existsSync(rollbackMarkerPath(root));
}

function currentTarget(root: string): string | undefined {
  try {
    return readlinkSync(extensionsLink(root));
  } catch {
    return undefined;
  }
}

function fileDigest(path: string): string | null {
  try {
    return sha256Hex(readFileSync(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * True when `path` (or, when absent, the directory it would be in) last changed before `time`.
 * ctime, because user tools can set mtime back but not ctime.
 */
function changedBefore(path: string, time: number): boolean {
  for (let current = path; ; current = dirname(current)) {
    try {
      return lstatSync(current).ctimeMs < time;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return false;
      if (current !== path) return true; // neither the file nor its directory exists
      if (dirname(current) === current) return true;
    }
  }
}
