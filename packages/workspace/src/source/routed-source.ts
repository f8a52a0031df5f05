/**
 * One workspace, several sources (docs/sources.md, "Git sources"): a root module written as a git
 * reference comes from its repository, everything else (its dependencies included) from the
 * workspace's source. Each question about a name goes to the source that name comes from.
 */
import type { Readable } from 'node:stream';
import type {
  ExtensionArtifact,
  ExtensionSource,
  LockedArtifact,
  ModuleSourceKind,
} from './extension-source.js';

export class RoutedExtensionSource implements ExtensionSource {
  readonly kind: ModuleSourceKind;
  readonly missingHint: string | undefined;

  constructor(
    private readonly fallback: ExtensionSource,
    private readonly routes: ReadonlyMap<string, ExtensionSource>,
  ) {
    this.kind = fallback.kind;
    this.missingHint = fallback.missingHint;
  }

  private of(name: string): ExtensionSource {
    return this.routes.get(name) ?? this.fallback;
  }

  versions(name: string): Promise<string[]> {
    return this.of(name).versions(name);
  }

  metadata(name: string, version: string) {
    return this.of(name).metadata(name, version);
  }

  artifact(name: string, version: string): Promise<ExtensionArtifact> {
    return this.of(name).artifact(name, version);
  }

  lockedArtifact(locked: LockedArtifact): Promise<ExtensionArtifact> {
    return this.of(locked.name).lockedArtifact(locked);
  }

  ensureLayer(artifact: ExtensionArtifact): Promise<void> {
    return this.of(artifact.name).ensureLayer(artifact);
  }

  openLayer(artifact: ExtensionArtifact): Promise<Readable> {
    return this.of(artifact.name).openLayer(artifact);
  }

  /** Signatures live in registries: a module from a git repository has none (docs/sources.md). */
  async signatures(name: string, subjectDigest: string, signatureDigest?: string) {
    return this.of(name).signatures?.(name, subjectDigest, signatureDigest);
  }

  repositoryOf(name: string): string {
    // every source this routes to names its repositories (OCI: where it reads; git: where it would publish)
    return this.of(name).repositoryOf?.(name) ?? name;
  }

  describe(name: string): string {
    return this.of(name).describe?.(name) ?? name;
  }

  async names(): Promise<string[]> {
    return (await this.fallback.names?.()) ?? [];
  }

  async close(): Promise<void> {
    const all = new Set([this.fallback, ...this.routes.values()]);
    await Promise.all([...all].map((source) => source.close?.()));
  }
}
