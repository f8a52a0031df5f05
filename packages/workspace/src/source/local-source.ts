/**
 * The seed's legacy monorepo layout as a source: `PATH/<type>s/<name>/` directories read directly
 * (`dependencies.extensions.local.path`). Each extension has exactly one version, the one in its
 * manifest.yaml. Installing packs it with the packager (validation included), so a local module is
 * installed and locked exactly like a registry one (with the digests it would have if pushed).
 */

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { openBlobFile } from '@provisioning/oci-client';
import { type PackResult, packExtension } from '@provisioning/packager';
import {
  type ExtensionManifest,
  extensionManifestSchema,
  loadYamlFile,
  MANIFEST_PARSE_LIMITS,
  ProvisioningError,
  pathExists,
} from '@provisioning/schemas';
import semver from 'semver';
import { EXTENSION_TYPES, type ExtensionType } from '../install/layout-paths.js';
import type {
  ExtensionArtifact,
  ExtensionSource,
  LockedArtifact,
  ModuleSourceKind,
} from './extension-source.js';

export class LocalExtensionSource implements ExtensionSource {
  readonly kind: ModuleSourceKind = 'local';
  private readonly manifests = new Map<
    string,
    Promise<{ dir: string; manifest: ExtensionManifest } | undefined>
  >();
  private readonly packed = new Map<string, Promise<PackResult>>();
  private workDir: Promise<string> | undefined;

  /**
   * @param root the monorepo's extensions directory
   * @param referenceOf the reference a module would have once published (what the lockfile records)
   */
  constructor(
    readonly root: string,
    private readonly referenceOf: (name: string, version: string) => string,
  ) {}

  async versions(name: string): Promise<string[]> {
    const found = await this.find(name);
    return found ? [found.manifest.version] : [];
  }

  async metadata(
    name: string,
    version: string,
  ): Promise<{ dependencies: Record<string, string>; minCoreVersion?: string }> {
    const { manifest } = await this.require(name, version);
    return {
      dependencies: { ...(manifest.dependencies ?? {}) },
      ...(manifest.min_provisioning_version ? { minCoreVersion: manifest.min_provisioning_version } : {}),
    };
  }

  async artifact(name: string, version: string): Promise<ExtensionArtifact> {
    const { dir, manifest } = await this.require(name, version);
    const packed = await this.pack(name, dir);
    return {
      name,
      version,
      type: manifest.type as ExtensionType,
      manifest,
      source: 'local',
      reference: this.referenceOf(name, version),
      manifestDigest: packed.imageManifestDescriptor.digest,
      layer: packed.layer.descriptor,
    };
  }

  async lockedArtifact(locked: LockedArtifact): Promise<ExtensionArtifact> {
    const artifact = await this.artifact(locked.name, locked.version);
    if (artifact.layer.digest !== locked.layerDigest) {
      throw new ProvisioningError(
        'LOCK_STALE',
        `local extension ${locked.name} (${(await this.require(locked.name, locked.version)).dir}) changed since the lockfile was written`,
        { kind: 'input', hint: 'run `provisioning dep resolve` without --frozen to re-lock it' },
      );
    }
    return artifact;
  }

  /** The extension's directory, if the local tree has it. */
  async directoryOf(name: string): Promise<string | undefined> {
    return (await this.find(name))?.dir;
  }

  /** The extension's type from its manifest, if the local tree has it. */
  async typeOf(name: string): Promise<ExtensionType | undefined> {
    return (await this.find(name))?.manifest.type as ExtensionType | undefined;
  }

  readonly missingHint =
    'check the name, or create the extension there (`provisioning generate extension TYPE NAME`); --path DIR names another extensions directory';

  describe(name: string): string {
    return join(this.root, '{providers,taskservs,clusters}', name);
  }

  /** The directories under `{providers,taskservs,clusters}/` of the extensions directory. */
  async names(): Promise<string[]> {
    const perType = await Promise.all(
      EXTENSION_TYPES.map((type) =>
        readdir(join(this.root, `${type}s`), { withFileTypes: true }).then(
          (entries) => entries.filter((e) => e.isDirectory()).map((e) => e.name),
          () => [] as string[],
        ),
      ),
    );
    return [...new Set(perType.flat())].sort();
  }

  async ensureLayer(): Promise<void> {
    // packed on demand by artifact(); nothing to download
  }

  async openLayer(artifact: ExtensionArtifact): Promise<Readable> {
    const { dir } = await this.require(artifact.name, artifact.version);
    const packed = await this.pack(artifact.name, dir);
    return openBlobFile(packed.layer.path, packed.layer.descriptor.size);
  }

  /** Remove the temporary pack output. */
  async close(): Promise<void> {
    if (this.workDir) await rm(await this.workDir, { recursive: true, force: true });
  }

  private async require(name: string, version: string) {
    const found = await this.find(name);
    if (!found || !semver.eq(found.manifest.version, version)) {
      throw new ProvisioningError(
        'MODULE_NOT_FOUND',
        `no local extension ${name}@${version} under ${this.root}`,
        {
          kind: 'input',
          hint: `expected ${join(this.root, '{providers,taskservs,clusters}', name, 'manifest.yaml')} with version ${version}`,
        },
      );
    }
    return found;
  }

  private find(name: string) {
    let pending = this.manifests.get(name);
    if (!pending) {
      pending = this.lookup(name);
      this.manifests.set(name, pending);
    }
    return pending;
  }

  private async lookup(name: string) {
    if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(name)) return undefined;
    for (const type of EXTENSION_TYPES) {
      const dir = join(this.root, `${type}s`, name);
      const file = join(dir, 'manifest.yaml');
      if (await pathExists(file))
        return { dir, manifest: await loadYamlFile(file, extensionManifestSchema, MANIFEST_PARSE_LIMITS) };
    }
    return undefined;
  }

  private pack(name: string, dir: string): Promise<PackResult> {
    let pending = this.packed.get(name);
    if (!pending) {
      this.workDir ??= mkdtemp(join(tmpdir(), 'provisioning-local-'));
      pending = this.workDir.then((work) => packExtension(dir, { outputDir: join(work, name) }));
      this.packed.set(name, pending);
    }
    return pending;
  }
}
