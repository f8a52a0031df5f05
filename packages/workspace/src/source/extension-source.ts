/**
 * What resolving and installing needs from wherever extensions come from: the resolver's
 * `PackageSource` (versions, dependencies) plus the artifact behind a chosen version and its layer.
 */
import type { Readable } from 'node:stream';
import type { Descriptor } from '@provisioning/oci-client';
import type { PackageSource } from '@provisioning/resolver';
import type { ExtensionManifest } from '@provisioning/schemas';
import type { ExtensionType } from '../install/layout-paths.js';
import type { SignatureSet } from '../signing/signature-store.js';

export type ModuleSourceKind = 'oci' | 'oci-layout' | 'local' | 'git';

/** Where a git-sourced module came from (docs/sources.md, "Git sources"). */
export interface GitOrigin {
  /** Repository URL, never with credentials. */
  url: string;
  /** Release tag `{type}s/{name}/v{version}`. */
  tag: string;
  commit: string;
}

export interface ExtensionArtifact {
  name: string;
  version: string;
  type: ExtensionType;
  manifest: ExtensionManifest;
  source: ModuleSourceKind;
  /** Full OCI reference `host/ns/name:tag` (for layout and local sources: the reference it has once served/published). */
  reference: string;
  /** Digest of the OCI image manifest. */
  manifestDigest: string;
  /** The single content layer. */
  layer: Descriptor;
  /** Set for a module packed from a git tag. */
  git?: GitOrigin;
}

/** Where a locked module is expected to be found again (frozen installs). */
export interface LockedArtifact {
  name: string;
  version: string;
  reference: string;
  manifestDigest: string;
  layerDigest: string;
  /** The commit a git-sourced module was locked at. */
  git?: GitOrigin;
}

export interface ExtensionSource extends PackageSource {
  readonly kind: ModuleSourceKind;
  artifact(name: string, version: string): Promise<ExtensionArtifact>;
  /** The same artifact, found by the digests of a lockfile entry (no tag lookups). */
  lockedArtifact(locked: LockedArtifact): Promise<ExtensionArtifact>;
  /** Make sure the layer is in the cache (verified); no-op when present. */
  ensureLayer(artifact: ExtensionArtifact): Promise<void>;
  /** Stream the layer from the cache (verified while reading). */
  openLayer(artifact: ExtensionArtifact): Promise<Readable>;
  /** Where extension `name` is looked for, for messages (a repository, a storage path, a directory). */
  describe?(name: string): string;
  /** Every extension name this source holds, for "did you mean" on a mistyped module (best effort). */
  names?(): Promise<string[]>;
  /** What to do when a module has no versions here (default: publish it to the registry). */
  missingHint?: string;
  /**
   * The cosign signature manifest of `subjectDigest` for module `name`, read through the cache:
   * by `signatureDigest` (a lockfile's; no network when cached), else by the `.sig` tag.
   * Undefined when there is none. Sources without signatures (local directories) lack it.
   */
  signatures?(
    name: string,
    subjectDigest: string,
    signatureDigest?: string,
  ): Promise<SignatureSet | undefined>;
  /** The repository path (`namespace/name`) module `name` is read from, for the identity check. */
  repositoryOf?(name: string): string;
  /** Release temporary resources. */
  close?(): Promise<void>;
}
