/**
 * One install run: builds a fresh generation, then commits it (switch + lockfile) or aborts
 * (the half-built generation is removed; nothing the user sees changed).
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lockfile } from '@provisioning/schemas';
import { makeDirectory, writeFileAtomic } from '@provisioning/schemas';
import { lockfilePath, serializeLockfile } from '../lockfile/lockfile-io.js';
import {
  type ConfigPin,
  listGenerations,
  markCommitted,
  nextGenerationNumber,
  writeGenerationRecord,
} from './generation-record.js';
import { pruneGenerations, switchGeneration } from './generations.js';
import { type ExtensionType, GENERATION_LOCK, generationsDir, moduleSubdir } from './layout-paths.js';
import { writeParsedLockfile } from './parsed-lockfile.js';
import { writeStamps } from './stamps.js';
import { pausePoint } from './test-hooks.js';
import { type LinkCounts, linkTree, type TreeListing } from './tree-files.js';

/** What the install history records about a commit (docs/workspaces.md). */
export interface CommitHistory {
  command: string;
  /** The config's module references after this run (a `dep update` pin included). */
  pins: ConfigPin[];
  /** Generations to keep (default 5). */
  keep?: number;
}

export class InstallTransaction {
  private done = false;
  /** module subdir → its files, as linked: the commit stamps them without walking the tree again. */
  private readonly linkedFiles = new Map<string, string[]>();

  private constructor(
    readonly workspaceRoot: string,
    readonly dir: string,
  ) {}

  static async begin(workspaceRoot: string): Promise<InstallTransaction> {
    const id = `${Date.now().toString(36)}-${process.pid}-${randomBytes(3).toString('hex')}`;
    const dir = join(generationsDir(workspaceRoot), id);
    await makeDirectory(dir);
    return new InstallTransaction(workspaceRoot, dir);
  }

  moduleDir(type: ExtensionType, name: string): string {
    return join(this.dir, moduleSubdir(type, name));
  }

  /** Install a module from its verified store tree (hard links; copies across file systems). */
  async link(type: ExtensionType, name: string, treeDir: string, listing?: TreeListing): Promise<LinkCounts> {
    return this.linkModule(type, name, treeDir, listing);
  }

  /** Carry an unchanged, verified module over from the current generation (hard links, no copy). */
  async reuse(type: ExtensionType, name: string, fromDir: string): Promise<LinkCounts> {
    return this.linkModule(type, name, fromDir);
  }

  private async linkModule(
    type: ExtensionType,
    name: string,
    fromDir: string,
    listing?: TreeListing,
  ): Promise<LinkCounts> {
    const { files, ...counts } = await linkTree(fromDir, this.moduleDir(type, name), listing);
    this.linkedFiles.set(moduleSubdir(type, name), files);
    return counts;
  }

  /**
   * Record the generation, switch to it, then write config/provisioning.lock, then prune the
   * history past `keep`. Returns the new generation's number. `lockText` is the lockfile's text
   * when it must stay byte for byte what it is (`--frozen`); otherwise `lock` is serialised.
   */
  async commit(lock: Lockfile, history: CommitHistory, lockText?: string): Promise<number> {
    const text = lockText ?? serializeLockfile(lock);
    await writeStamps(this.dir, this.linkedFiles);
    await writeFileAtomic(join(this.dir, GENERATION_LOCK), text);
    await writeParsedLockfile(this.dir, text, lock);
    const number = nextGenerationNumber(await listGenerations(this.workspaceRoot));
    await writeGenerationRecord(this.dir, {
      number,
      created: new Date().toISOString(),
      command: history.command,
      pins: history.pins,
    });
    await pausePoint('before-switch');
    await switchGeneration(this.workspaceRoot, this.dir);
    this.done = true;
    await markCommitted(this.dir);
    await pausePoint('after-switch');
    await writeFileAtomic(lockfilePath(this.workspaceRoot), text);
    await pausePoint('after-lockfile');
    await pruneGenerations(this.workspaceRoot, history.keep);
    return number;
  }

  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await rm(this.dir, { recursive: true, force: true });
  }
}
