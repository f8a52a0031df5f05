/**
 * Extensions in OCI repositories — a remote registry or an OCI-layout store — read through the
 * content-addressed cache. Versions are the semver tags of `<namespace>/<name>` (a leading `v` is
 * accepted and normalised); a version's metadata is its config blob (the manifest as canonical JSON,
 * size-capped, schema-validated). Manifests and config blobs land in the cache, so a warm run reads
 * metadata without network. Published versions are treated as immutable: once a tag is cached its
 * digest is reused (like crates.io versions); `dep update` and the tag list still see new versions.
 */
import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type {
  ContentTarget,
  Descriptor,
  ImageIndex,
  ImageManifest,
  OciLayout,
} from '@provisioning/oci-client';
import { createLimiter, fetchInto } from '@provisioning/oci-client';
import {
  checkJsonLimits,
  type ExtensionManifest,
  extensionManifestSchema,
  MAX_MANIFEST_BYTES,
  MediaTypes,
  ProvisioningError,
  versionFromTag,
} from '@provisioning/schemas';
import semver from 'semver';
import type { ExtensionCache } from '../cache/cache-store.js';
import type { ExtensionType } from '../install/layout-paths.js';
import { isNotFound } from '../repository/not-found-error.js';
import { blobTooLarge, readCappedStream } from '../repository/read-capped.js';
import { cachedSignatures } from '../signing/cached-signatures.js';
import type { SignatureSet } from '../signing/signature-store.js';
import { extensionParts } from './extension-artifact.js';
import type {
  ExtensionArtifact,
  ExtensionSource,
  LockedArtifact,
  ModuleSourceKind,
} from './extension-source.js';
import { sharedPromise } from './shared-promise.js';

/** A single repository path component (distribution-spec grammar). */
const EXTENSION_NAME = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/** OCI config blobs (an extension's manifest as JSON) are small; anything bigger is not ours. Not the
 * size cap of configuration files, which is `MAX_CONFIG_BYTES` in `@provisioning/schemas`. */
export const MAX_CONFIG_BLOB_BYTES = 1024 * 1024;

export interface ExtensionLocation {
  /** Registry host[:port] (cache key), or a label for a layout store. */
  registry: string;
  repository: string;
}

export interface OciExtensionSourceOptions {
  kind: Extract<ModuleSourceKind, 'oci' | 'oci-layout'>;
  cache: ExtensionCache;
  /** Where the repository of an extension lives. */
  locate(name: string): ExtensionLocation;
  /** The remote (registry repository or layout); never called when offline. */
  openRemote(location: ExtensionLocation): Promise<ContentTarget>;
  /** Only the cache: versions from cached tags, clear errors for what is missing. */
  offline?: boolean;
  /** Parallel registry operations (default 8; the registry client adds its own per-host cap). */
  concurrency?: number;
  /** The extension names published where modules are looked for, for "did you mean" (best effort). */
  listNames?(): Promise<string[]>;
  /** How a location is named in messages (default `registry/repository`). */
  describeLocation?(location: ExtensionLocation): string;
  /** How a reference is printed for a location and tag. */
  formatReference?(location: ExtensionLocation, tag: string): string;
}

interface Loaded {
  artifact: ExtensionArtifact;
}

export class OciExtensionSource implements ExtensionSource {
  readonly kind: ModuleSourceKind;
  private readonly limit: <T>(task: () => Promise<T>) => Promise<T>;
  private readonly remotes = new Map<string, Promise<ContentTarget>>();
  private readonly layouts = new Map<string, Promise<OciLayout>>();
  private readonly tagLists = new Map<string, Promise<Map<string, string>>>();
  private readonly loaded = new Map<string, Promise<Loaded>>();
  /** Layers this source fetched and verified into the cache in this run (see `openLayer`). */
  private readonly freshLayers = new Set<string>();

  constructor(private readonly options: OciExtensionSourceOptions) {
    this.kind = options.kind;
    this.limit = createLimiter(options.concurrency ?? 8);
  }

  async versions(name: string): Promise<string[]> {
    // not an extension name (e.g. a solver-internal pseudo package): nothing is published under it
    if (!EXTENSION_NAME.test(name)) return [];
    return [...(await this.versionTags(name)).keys()];
  }

  async metadata(
    name: string,
    version: string,
  ): Promise<{ dependencies: Record<string, string>; minCoreVersion?: string }> {
    const { manifest } = await this.artifact(name, version);
    this.prefetchDependencies(manifest);
    return {
      dependencies: { ...(manifest.dependencies ?? {}) },
      ...(manifest.min_provisioning_version ? { minCoreVersion: manifest.min_provisioning_version } : {}),
    };
  }

  async artifact(name: string, version: string): Promise<ExtensionArtifact> {
    const loaded = sharedPromise(this.loaded, `${name}@${version}`, () => this.loadByTag(name, version));
    return (await loaded).artifact;
  }

  async lockedArtifact(locked: LockedArtifact): Promise<ExtensionArtifact> {
    const location = this.options.locate(locked.name);
    const cached = await this.cacheLayout(location);
    const desc: Descriptor = await this.manifestDescriptorByDigest(
      location,
      cached,
      locked.manifestDigest,
      locked.reference,
    );
    const artifact = await this.readArtifact(
      location,
      cached,
      desc,
      locked.name,
      locked.version,
      tagOfReference(locked.reference) ?? locked.version,
    );
    if (artifact.layer.digest !== locked.layerDigest) {
      throw new ProvisioningError(
        'LOCK_STALE',
        `${locked.reference}: manifest ${locked.manifestDigest} has layer ${artifact.layer.digest}, the lockfile says ${locked.layerDigest}`,
        { kind: 'input', hint: 'run `provisioning dep resolve` without --frozen to refresh the lockfile' },
      );
    }
    return artifact;
  }

  async names(): Promise<string[]> {
    if (this.options.offline || !this.options.listNames) return [];
    return this.options.listNames();
  }

  async signatures(
    name: string,
    subjectDigest: string,
    signatureDigest?: string,
  ): Promise<SignatureSet | undefined> {
    const location = this.options.locate(name);
    return cachedSignatures({
      cached: await this.cacheLayout(location),
      remote: () => this.remote(location),
      subjectDigest,
      ...(signatureDigest ? { signatureDigest } : {}),
      offline: this.options.offline ?? false,
      reference: this.reference(location, subjectDigest),
    });
  }

  repositoryOf(name: string): string {
    return this.options.locate(name).repository;
  }

  /** Where `name` is looked for, for messages. */
  describe(name: string): string {
    const location = this.options.locate(name);
    return this.options.describeLocation?.(location) ?? `${location.registry}/${location.repository}`;
  }

  async ensureLayer(artifact: ExtensionArtifact): Promise<void> {
    const location = this.options.locate(artifact.name);
    const cached = await this.cacheLayout(location);
    if (await cached.exists(artifact.layer)) return;
    this.assertOnline(artifact.reference, `layer ${artifact.layer.digest}`);
    await this.limit(async () => {
      const remote = await this.remote(location);
      await fetchInto(remote, artifact.layer, (content) => cached.push(artifact.layer, content));
    });
    this.freshLayers.add(artifact.layer.digest);
  }

  async openLayer(artifact: ExtensionArtifact): Promise<Readable> {
    const cached = await this.cacheLayout(this.options.locate(artifact.name));
    // Verify the cached file whole before unpacking it: a damaged cache blob is then reported as
    // the digest mismatch it is, not as whatever gzip or tar trips over first (local, one extra read).
    // A layer this run has just fetched was verified on its way into the cache; the unpack checks
    // its digest again in any case.
    if (!this.freshLayers.has(artifact.layer.digest)) {
      await pipeline(
        await cached.fetch(artifact.layer),
        new Writable({ write: (_chunk, _enc, done) => done() }),
      );
    }
    const stream = await cached.fetch(artifact.layer);
    // The consumer (unpack) may give up first (e.g. on a gzip error) and detach; a verification
    // error emitted after that must not become an uncaught exception. The consumer has its own
    // listener while it reads, so nothing is hidden from it.
    stream.on('error', () => {});
    return stream;
  }

  // ---- internals --------------------------------------------------------------------------------

  /** version → tag, for the semver tags of the extension's repository. */
  private versionTags(name: string): Promise<Map<string, string>> {
    return sharedPromise(this.tagLists, name, () => this.listVersionTags(name));
  }

  private async listVersionTags(name: string): Promise<Map<string, string>> {
    const location = this.options.locate(name);
    let tags: string[];
    if (this.options.offline) {
      const cached = await this.options.cache.repository(location.registry, location.repository, false);
      if (!cached) {
        throw new ProvisioningError(
          'CACHE_MISS',
          `offline: ${location.registry}/${location.repository} (${name}) is not in the cache`,
          {
            kind: 'input',
            hint: 'run once without --offline to fill the cache, or remove --offline',
            details: { name },
          },
        );
      }
      tags = await cached.tags();
    } else {
      tags = await this.limit(async () => {
        try {
          return await (await this.remote(location)).tags();
        } catch (err) {
          // no such repository (registry 404, or no layout in the storage): nothing published
          if (isNotFound(err)) return [];
          throw err;
        }
      });
    }
    const byVersion = new Map<string, string>();
    for (const tag of tags) {
      const version = versionFromTag(tag);
      if (!version || !semver.valid(version)) continue;
      // an exact tag wins over its `v`-prefixed twin
      if (!byVersion.has(version) || tag === version) byVersion.set(version, tag);
    }
    return new Map([...byVersion.entries()].sort(([a], [b]) => semver.rcompare(a, b)));
  }

  private async loadByTag(name: string, version: string): Promise<Loaded> {
    const location = this.options.locate(name);
    const tag = (await this.versionTags(name)).get(version) ?? version;
    const reference = this.reference(location, tag);
    const cached = await this.cacheLayout(location);
    let desc: Descriptor | undefined;
    // the manifest's bytes when this run fetched them: parsed as they are, not read back
    let held: Uint8Array | undefined;
    try {
      desc = await cached.resolve(tag);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (!desc) {
      this.assertOnline(reference, 'its manifest');
      desc = await this.limit(async () => {
        const remote = await this.remote(location);
        // a registry answers tag → manifest in one GET (verified, size-capped by the client);
        // other targets resolve first and then fetch
        if (hasFetchManifest(remote)) {
          const fetched = await remote.fetchManifest(tag);
          held = new Uint8Array(fetched.bytes);
          await cached.push(fetched.descriptor, held);
          return fetched.descriptor;
        }
        return remote.resolve(tag);
      });
      await this.cacheManifest(location, cached, desc, reference);
      await cached.tag(desc, tag);
    }
    return { artifact: await this.readArtifact(location, cached, desc, name, version, tag, held) };
  }

  private async manifestDescriptorByDigest(
    location: ExtensionLocation,
    cached: OciLayout,
    digest: string,
    reference: string,
  ): Promise<Descriptor> {
    const size = await cached.blobSize(digest);
    if (size !== undefined) return { mediaType: MediaTypes.ociImageManifest, digest, size };
    this.assertOnline(reference, `manifest ${digest}`);
    const desc = await this.limit(async () => (await this.remote(location)).resolve(digest));
    if (desc.digest !== digest) {
      throw new ProvisioningError(
        'DIGEST_MISMATCH',
        `${reference}: registry answered ${desc.digest} for ${digest}`,
        {
          kind: 'registry',
          hint: 'the registry is serving different content than the lockfile pins',
        },
      );
    }
    await this.cacheManifest(location, cached, desc, reference);
    return desc;
  }

  private async cacheManifest(
    location: ExtensionLocation,
    cached: OciLayout,
    desc: Descriptor,
    reference: string,
  ) {
    if (desc.size > MAX_MANIFEST_BYTES) {
      throw new ProvisioningError('MANIFEST_TOO_LARGE', `${reference}: manifest is ${desc.size} bytes`, {
        kind: 'registry',
        hint: `manifests are capped at ${MAX_MANIFEST_BYTES} bytes; this is not a provisioning extension`,
      });
    }
    if (await cached.exists(desc)) return;
    await this.limit(async () => {
      const remote = await this.remote(location);
      await fetchInto(remote, desc, (content) => cached.push(desc, content));
    });
  }

  private async readArtifact(
    location: ExtensionLocation,
    cached: OciLayout,
    desc: Descriptor,
    name: string,
    version: string,
    tag: string,
    heldManifest?: Uint8Array,
  ): Promise<ExtensionArtifact> {
    const reference = this.reference(location, tag);
    const { manifest: image } = await cached.readManifest(desc, heldManifest);
    const { config, layer } = extensionParts(image as ImageManifest | ImageIndex, reference);
    const configBytes = await this.configBytes(location, cached, config, reference);
    const manifest = parseExtensionConfig(configBytes, reference);
    if (manifest.name !== name) {
      throw invalidArtifact(reference, `its manifest names "${manifest.name}", expected "${name}"`);
    }
    if (semver.neq(manifest.version, version)) {
      throw invalidArtifact(
        reference,
        `its manifest says version ${manifest.version}, the tag says ${version}`,
      );
    }
    return {
      name,
      version,
      type: manifest.type as ExtensionType,
      manifest,
      source: this.kind,
      reference,
      manifestDigest: desc.digest,
      layer,
    };
  }

  /**
   * The config blob's bytes (size-capped): from the cache, or fetched into it. A fetched blob is
   * kept in memory and stored from there (the layout checks its digest), not read back.
   */
  private async configBytes(
    location: ExtensionLocation,
    cached: OciLayout,
    config: Descriptor,
    reference: string,
  ): Promise<Buffer> {
    const where = `${reference} config`;
    if (await cached.exists(config)) {
      return readCappedStream(await cached.fetch(config), MAX_CONFIG_BLOB_BYTES, where);
    }
    this.assertOnline(reference, `config blob ${config.digest}`);
    // the client checks the size a descriptor declares: a bigger blob is refused before its download
    if (config.size > MAX_CONFIG_BLOB_BYTES) throw blobTooLarge(where, MAX_CONFIG_BLOB_BYTES);
    return this.limit(async () => {
      const remote = await this.remote(location);
      return fetchInto(remote, config, async (content) => {
        const bytes = await readCappedStream(content, MAX_CONFIG_BLOB_BYTES, where);
        await cached.push(config, bytes);
        return bytes;
      });
    });
  }

  private prefetchDependencies(manifest: ExtensionManifest): void {
    // Warm up the likely next questions of the solver in parallel; errors resurface when asked.
    for (const [dep, range] of Object.entries(manifest.dependencies ?? {})) {
      this.versionTags(dep)
        .then((tags) => {
          const best = semver.maxSatisfying([...tags.keys()], range);
          return best ? this.artifact(dep, best) : undefined;
        })
        .catch(() => undefined);
    }
  }

  /**
   * The cache's layout of a repository, opened once per run: each opening reads its `oci-layout`
   * file, and the directories an instance has made are made once (a module asked for it 3–5 times).
   */
  private cacheLayout(location: ExtensionLocation): Promise<OciLayout> {
    return sharedPromise(
      this.layouts,
      `${location.registry}/${location.repository}`,
      () => this.options.cache.repository(location.registry, location.repository) as Promise<OciLayout>,
    );
  }

  private remote(location: ExtensionLocation): Promise<ContentTarget> {
    const key = `${location.registry}/${location.repository}`;
    let pending = this.remotes.get(key);
    if (!pending) {
      pending = this.options.openRemote(location);
      this.remotes.set(key, pending);
    }
    return pending;
  }

  private reference(location: ExtensionLocation, tag: string): string {
    return (
      this.options.formatReference?.(location, tag) ?? `${location.registry}/${location.repository}:${tag}`
    );
  }

  private assertOnline(reference: string, what: string): void {
    if (!this.options.offline) return;
    throw new ProvisioningError('CACHE_MISS', `offline: ${reference} is not in the cache (${what} missing)`, {
      kind: 'input',
      hint: 'run once without --offline to fill the cache, or remove --offline',
      details: { reference },
    });
  }
}

interface ManifestFetcher {
  fetchManifest(reference: string): Promise<{ descriptor: Descriptor; bytes: Uint8Array }>;
}

function hasFetchManifest(target: ContentTarget): target is ContentTarget & ManifestFetcher {
  return typeof (target as Partial<ManifestFetcher>).fetchManifest === 'function';
}

function parseExtensionConfig(bytes: Uint8Array, reference: string): ExtensionManifest {
  checkJsonLimits(bytes, `the config blob of ${reference}`);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw invalidArtifact(reference, 'its config blob is not JSON');
  }
  const parsed = extensionManifestSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.length ? `${first.path.join('.')}: ` : '';
    throw invalidArtifact(
      reference,
      `its extension manifest is invalid (${where}${first?.message ?? 'unknown problem'})`,
    );
  }
  return parsed.data;
}

function invalidArtifact(reference: string, why: string): ProvisioningError {
  return new ProvisioningError(
    'ARTIFACT_INVALID',
    `${reference} is not a valid provisioning extension: ${why}`,
    {
      kind: 'registry',
      hint: 'republish it with `provisioning oci push`, or pick another version',
      details: { reference },
    },
  );
}

function tagOfReference(reference: string): string | undefined {
  const at = reference.lastIndexOf(':');
  const slash = reference.lastIndexOf('/');
  return at > slash ? reference.slice(at + 1) : undefined;
}
