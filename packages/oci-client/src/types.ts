/**
 * OCI content types (image-spec) and the storage-neutral interface that a registry repository and
 * an OCI image layout both implement, so `copy` works between any two of them.
 * Spec: https://github.com/opencontainers/image-spec/blob/main/descriptor.md
 */
import type { Readable } from 'node:stream';

export interface Descriptor {
  mediaType: string;
  /** `algorithm:hex`, validated before it reaches a URL or a path. */
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  urls?: string[];
  platform?: { os: string; architecture: string; variant?: string; 'os.version'?: string };
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export interface PushOptions {
  /** For a manifest: also point this tag at it (a registry stores and tags it in one PUT). */
  tag?: string;
  /** The caller has just seen that the content is missing: do not ask again. */
  knownMissing?: boolean;
}

/**
 * Content-addressed storage of one repository: a registry repository (`RegistryRepository`) or
 * an image layout (`OciLayout`). Streams in, streams out; every implementation verifies digest and
 * size of what it reads and writes.
 */
export interface ContentTarget {
  /** Human-readable location (`localhost:5000/ns/name`, `oci-layout:/path`) for messages. */
  readonly location: string;
  /** Does a blob or manifest with this descriptor's digest exist? */
  exists(desc: Descriptor): Promise<boolean>;
  /** Stream a blob or manifest; the stream errors if bytes do not match `desc.digest`/`desc.size`. */
  fetch(desc: Descriptor): Promise<Readable>;
  /** Store content, verifying it against `desc` while streaming. */
  push(desc: Descriptor, content: Readable | Uint8Array, options?: PushOptions): Promise<void>;
  /** Resolve a tag or digest to the manifest descriptor. */
  resolve(reference: string): Promise<Descriptor>;
  /** Point `tag` at the manifest `desc` (which must already exist). */
  tag(desc: Descriptor, tag: string): Promise<void>;
  /** All tags, in the order the store gives them. */
  tags(): Promise<string[]>;
}
