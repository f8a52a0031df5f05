/**
 * The extensions a pull request touches (docs/releasing.md, "CI"): every `{type}s/{name}/` of the
 * repository with a changed file since the merge base of `since`, that still holds a manifest
 * (a deleted extension has nothing to test).
 */
import { join } from 'node:path';
import { EXTENSION_TYPES, pathExists } from '@provisioning/schemas';
import { LocalRepository } from '../git/local-repository.js';

export interface ChangedExtension {
  /** `taskservs/redis`. */
  subdir: string;
  directory: string;
}

export async function changedExtensions(
  since: string,
  repoDir: string = process.cwd(),
): Promise<ChangedExtension[]> {
  const repo = await LocalRepository.open(repoDir);
  const dirs = new Set<string>();
  for (const path of await repo.changedSince(since)) {
    const [group, name] = path.split('/');
    if (name && EXTENSION_TYPES.some((t) => `${t}s` === group)) dirs.add(`${group}/${name}`);
  }
  const out: ChangedExtension[] = [];
  for (const subdir of [...dirs].sort()) {
    const directory = join(repo.root, subdir);
    if (await pathExists(join(directory, 'manifest.yaml'))) out.push({ subdir, directory });
  }
  return out;
}
