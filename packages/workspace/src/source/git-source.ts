/**
 * A git repository as a source of extensions (docs/sources.md, "Git sources"): Gitea, Forgejo,
 * GitHub, GitLab or any git server. A module's versions are the repository's release tags
 * `{type}s/{name}/v{version}`; its content is the subtree `{type}s/{name}/` at that tag, fetched
 * into the cache of trees by commit and packed with the packager, so its digests are those
 * `provisioning oci push` gives the same tree and a lock holds across git and OCI. The lockfile
 * records each module's commit; a tag that moved since is refused with both commits named.
 */

import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { openBlobFile } from '@provisioning/oci-client';
import { type PackResult, packExtension } from '@provisioning/packager';
import { ProvisioningError } from '@provisioning/schemas';
import semver from 'semver';
import { fetchTree, listRemoteTags, tagMoved } from '../git/git-remote.js';
import { parseReleaseTag } from '../git/release-tag.js';
import type { ExtensionType } from '../install/layout-paths.js';
import type {
  ExtensionArtifact,
  ExtensionSource,
  GitOrigin,
  LockedArtifact,
  ModuleSourceKind,
} from './extension-source.js';
import { sharedPromise } from './shared-promise.js';

export interface GitExtensionSourceOptions {
  /** Repository URL as git takes it (`https://…`, `ssh://…`, `git://…`). */
  url: string;
  /** `CACHE/git/trees`. */
  treesRoot: string;
  /** The OCI reference a module would have once published (what the lockfile's `reference` says). */
  referenceOf(name: string, version: string): string;
  /** Commits of the previous lockfile, by module name: a moved tag is refused. */
  locked?: ReadonlyMap<string, { version: string; git?: GitOrigin | undefined }>;
  /** No server: only trees the cache holds for locked commits. */
  offline?: boolean;
  timeoutMs?: number;
}

interface Release {
  type: ExtensionType;
  tag: string;
  commit: string;
}

export class GitExtensionSource implements ExtensionSource {
  readonly kind: ModuleSourceKind = 'git';
  private tagList: Promise<Map<string, Map<string, Release>>> | undefined;
  private readonly packed = new Map<string, Promise<{ pack: PackResult; origin: GitOrigin }>>();
  private workDir: Promise<string> | undefined;

  constructor(private readonly options: GitExtensionSourceOptions) {}

  get url(): string {
    return this.options.url;
  }

  async versions(name: string): Promise<string[]> {
    if (this.options.offline) {
      const locked = this.lockedHere(name);
      if (locked?.git && (await this.cachedTree(locked.git))) return [locked.version];
      throw new ProvisioningError(
        'CACHE_MISS',
        `offline: ${name} from ${this.options.url} is not in the cache`,
        {
          kind: 'input',
          hint: 'run once without --offline to fetch it',
          details: { name },
        },
      );
    }
    return [...((await this.releases()).get(name)?.keys() ?? [])];
  }

  async metadata(
    name: string,
    version: string,
  ): Promise<{ dependencies: Record<string, string>; minCoreVersion?: string }> {
    const { manifest } = await this.artifact(name, version);
    return {
      dependencies: { ...(manifest.dependencies ?? {}) },
      ...(manifest.min_provisioning_version ? { minCoreVersion: manifest.min_provisioning_version } : {}),
    };
  }

  async artifact(name: string, version: string): Promise<ExtensionArtifact> {
    const locked = this.lockedHere(name);
    if (
      this.options.offline &&
      locked?.git &&
      semver.eq(locked.version, version) &&
      (await this.cachedTree(locked.git))
    ) {
      return this.fromOrigin(name, version, locked.git);
    }
    const release = (await this.releases()).get(name)?.get(version);
    if (!release) {
      throw new ProvisioningError(
        'TAG_NOT_FOUND',
        `${this.options.url} has no release tag for ${name} ${version}`,
        { kind: 'input', hint: `publish it: git tag {type}s/${name}/v${version} && git push origin --tags` },
      );
    }
    if (locked?.git && semver.eq(locked.version, version) && locked.git.tag === release.tag) {
      if (locked.git.commit !== release.commit)
        throw tagMoved(this.options.url, release.tag, locked.git.commit, release.commit);
    }
    return this.fromOrigin(name, version, {
      url: this.options.url,
      tag: release.tag,
      commit: release.commit,
    });
  }

  async lockedArtifact(locked: LockedArtifact): Promise<ExtensionArtifact> {
    let origin = locked.git;
    if (!origin || !(await this.cachedTree(origin))) {
      if (this.options.offline) {
        throw new ProvisioningError(
          'CACHE_MISS',
          `offline: ${locked.name} ${locked.version} from ${this.options.url} is not in the cache`,
          {
            kind: 'input',
            hint: 'run once without --offline to fetch it',
            details: { name: locked.name },
          },
        );
      }
      const release = (await this.releases()).get(locked.name)?.get(locked.version);
      if (!release) {
        throw new ProvisioningError(
          'TAG_NOT_FOUND',
          `${this.options.url} has no release tag for ${locked.name} ${locked.version}, which the lockfile pins`,
          {
            kind: 'input',
            hint: 'restore the tag, or run `provisioning dep resolve` without --frozen to re-lock',
          },
        );
      }
      if (origin && origin.commit !== release.commit)
        throw tagMoved(this.options.url, release.tag, origin.commit, release.commit);
      origin = { url: this.options.url, tag: release.tag, commit: release.commit };
    }
    const artifact = await this.fromOrigin(locked.name, locked.version, origin);
    if (artifact.layer.digest !== locked.layerDigest) {
      throw new ProvisioningError(
        'LOCK_STALE',
        `${locked.name} ${locked.version} from ${origin.url} (commit ${origin.commit}) packs to layer ${artifact.layer.digest}, the lockfile says ${locked.layerDigest}`,
        { kind: 'input', hint: 'run `provisioning dep resolve` without --frozen to refresh the lockfile' },
      );
    }
    return artifact;
  }

  /**
   * The repository path the module has once published (`namespace/name`), for the identity check of
   * a verify policy. A git tag carries no cosign signature, so `require: true` refuses git modules.
   */
  repositoryOf(name: string): string {
    const reference = this.options.referenceOf(name, '0.0.0');
    return reference.slice(reference.indexOf('/') + 1, reference.lastIndexOf(':'));
  }

  describe(name: string): string {
    return `${this.options.url} (tags {providers,taskservs,clusters}/${name}/v*)`;
  }

  async names(): Promise<string[]> {
    if (this.options.offline) return [];
    return [...(await this.releases()).keys()].sort();
  }

  readonly missingHint =
    'check the name, or tag a release in the repository: git tag {type}s/NAME/vX.Y.Z (the commit holding {type}s/NAME/), then git push origin --tags';

  async ensureLayer(): Promise<void> {
    // packed by artifact() from the cached tree; nothing else to download
  }

  async openLayer(artifact: ExtensionArtifact): Promise<Readable> {
    const { pack } = await this.pack(artifact.name, artifact.version, artifact.git!);
    return openBlobFile(pack.layer.path, pack.layer.descriptor.size);
  }

  async close(): Promise<void> {
    if (this.workDir) await rm(await this.workDir, { recursive: true, force: true });
  }

  // ---- internals --------------------------------------------------------------------------------

  /** The previous lock's entry for `name` when it was locked from this repository. */
  private lockedHere(name: string) {
    const locked = this.options.locked?.get(name);
    return locked?.git?.url === this.options.url ? locked : undefined;
  }

  /** name → version → release, from one `git ls-remote --tags`. */
  private releases(): Promise<Map<string, Map<string, Release>>> {
    if (this.options.offline) {
      return Promise.reject(
        new ProvisioningError(
          'CACHE_MISS',
          `offline: the release tags of ${this.options.url} are not in the cache`,
          {
            kind: 'input',
            hint: 'run once without --offline; offline, only locked versions whose trees are cached are available',
          },
        ),
      );
    }
    if (!this.tagList) {
      this.tagList = this.listReleases();
      this.tagList.catch(() => {
        this.tagList = undefined;
      });
    }
    return this.tagList;
  }

  private async listReleases(): Promise<Map<string, Map<string, Release>>> {
    const tags = await listRemoteTags(this.options.url, this.timeout());
    const byName = new Map<string, Map<string, Release>>();
    const typeOf = new Map<string, ExtensionType>();
    for (const [tag, commit] of [...tags.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const release = parseReleaseTag(tag);
      if (!release?.canonical) continue;
      const { type, name, version } = release;
      const seen = typeOf.get(name);
      if (seen && seen !== type) {
        throw new ProvisioningError(
          'EXTENSION_AMBIGUOUS',
          `${this.options.url}: ${name} is released both as a ${seen} and as a ${type}`,
          { kind: 'usage', hint: 'an extension name belongs to one type; remove the other tags' },
        );
      }
      typeOf.set(name, type);
      const versions = byName.get(name) ?? new Map<string, Release>();
      byName.set(name, versions);
      versions.set(version, { type, tag, commit });
    }
    for (const [name, versions] of byName) {
      byName.set(name, new Map([...versions.entries()].sort(([a], [b]) => semver.rcompare(a, b))));
    }
    return byName;
  }

  private async fromOrigin(name: string, version: string, origin: GitOrigin): Promise<ExtensionArtifact> {
    const { pack } = await this.pack(name, version, origin);
    const where = `${origin.url} tag ${origin.tag}`;
    if (pack.manifest.name !== name || !semver.eq(pack.manifest.version, version)) {
      throw new ProvisioningError(
        'ARTIFACT_INVALID',
        `${where}: its manifest.yaml says ${pack.manifest.name} ${pack.manifest.version}, the tag ${name} ${version}`,
        {
          kind: 'registry',
          hint: 'tag the commit whose manifest.yaml carries that name and version',
          details: origin as unknown as Record<string, unknown>,
        },
      );
    }
    const type = pack.manifest.type as ExtensionType;
    if (`${type}s/${name}/v${version}` !== origin.tag) {
      throw new ProvisioningError(
        'ARTIFACT_INVALID',
        `${where}: its manifest.yaml says type ${type}, the tag another`,
        { kind: 'registry', hint: 'tag it {type}s/{name}/v{version} with the type of its manifest.yaml' },
      );
    }
    return {
      name,
      version,
      type,
      manifest: pack.manifest,
      source: 'git',
      reference: this.options.referenceOf(name, version),
      manifestDigest: pack.imageManifestDescriptor.digest,
      layer: pack.layer.descriptor,
      git: origin,
    };
  }

  private pack(name: string, version: string, origin: GitOrigin) {
    return sharedPromise(this.packed, `${origin.commit}:${origin.tag}`, async () => {
      const dir = await fetchTree({
        url: this.options.url,
        tag: origin.tag,
        commit: origin.commit,
        subdir: subdirOf(origin.tag),
        treesRoot: this.options.treesRoot,
        ...this.timeout(),
      });
      this.workDir ??= mkdtemp(join(tmpdir(), 'provisioning-git-'));
      const pack = await packExtension(dir, {
        outputDir: join(await this.workDir, `${name}-${version}-${origin.commit}`),
      });
      return { pack, origin };
    });
  }

  private async cachedTree(origin: GitOrigin): Promise<boolean> {
    return stat(join(this.options.treesRoot, origin.commit, subdirOf(origin.tag))).then(
      (s) => s.isDirectory(),
      () => false,
    );
  }

  private timeout(): { timeoutMs?: number } {
    return this.options.timeoutMs ? { timeoutMs: this.options.timeoutMs } : {};
  }
}

/** `taskservs/redis/v1.0.0` → `taskservs/redis`. */
function subdirOf(tag: string): string {
  return tag.slice(0, tag.lastIndexOf('/'));
}
