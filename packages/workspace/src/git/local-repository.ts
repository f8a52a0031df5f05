/**
 * What `oci release` asks of the checked-out repository it releases from (docs/releasing.md): the
 * commit a tag names, the checked-out commit, the tags at a commit, and whether a directory has
 * uncommitted changes. Read with the `git` binary, like the git sources.
 */
import { ProvisioningError } from '@provisioning/schemas';
import { runGit } from './git-command.js';

export class LocalRepository {
  constructor(readonly root: string) {}

  /** The top of the work tree holding `dir` (refuses a directory outside any repository). */
  static async open(dir: string): Promise<LocalRepository> {
    const top = await runGit(['-C', dir, 'rev-parse', '--show-toplevel'], {
      action: `reading the git repository at ${dir}`,
    }).catch((error: unknown) => {
      if ((error as ProvisioningError).code === 'GIT_MISSING') throw error;
      throw new ProvisioningError('GIT_REPOSITORY_MISSING', `${dir} is not inside a git repository`, {
        kind: 'input',
        hint: 'run the release from a clone of the extensions repository, or pass --repo DIR',
      });
    });
    return new LocalRepository(top.trim());
  }

  /** The commit `tag` names (annotated tags peeled), or undefined when there is no such tag. */
  async tagCommit(tag: string): Promise<string | undefined> {
    const out = await this.git(['for-each-ref', '--format=%(objectname) %(*objectname)', `refs/tags/${tag}`]);
    const [object, peeled] = out.trim().split(' ');
    return peeled || object || undefined;
  }

  async head(): Promise<string> {
    return (await this.git(['rev-parse', 'HEAD'])).trim();
  }

  /** Tags pointing at `rev` (annotated tags included). */
  async tagsAt(rev: string): Promise<string[]> {
    const out = await this.git(['tag', '--points-at', rev]);
    return out.split('\n').filter((line) => line !== '');
  }

  /** Changed, staged or untracked paths under `subdir` (relative to the root). */
  async changesUnder(subdir: string): Promise<string[]> {
    const out = await this.git(['status', '--porcelain', '--untracked-files=all', '--', subdir]);
    return out
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.slice(3));
  }

  /** Paths changed between the merge base of `rev` and HEAD (what a pull request changes). */
  async changedSince(rev: string): Promise<string[]> {
    const out = await this.git(['diff', '--name-only', '--no-renames', `${rev}...HEAD`]);
    return out.split('\n').filter((line) => line !== '');
  }

  /** Tags reachable from `rev` (ancestors included), newest version first by name. */
  async tagsMergedInto(rev: string): Promise<string[]> {
    const out = await this.git(['tag', '--merged', rev, '--sort=-v:refname']);
    return out.split('\n').filter((line) => line !== '');
  }

  /** Commit subjects in `range` touching `subdir`, newest first. */
  async subjects(range: string, subdir: string): Promise<string[]> {
    const out = await this.git(['log', '--format=%s', range, '--', subdir]);
    return out.split('\n').filter((line) => line !== '');
  }

  private git(args: string[]): Promise<string> {
    return runGit(['-C', this.root, ...args], { action: `git ${args[0]} in ${this.root}` });
  }
}
