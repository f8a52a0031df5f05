/**
 * The public API of `@provisioning/oci-client`, name by name (each is described in the package README).
 * What is not here is internal and may change without notice.
 */

export {
  type ArchiveEntry,
  ArchiveRepository,
  LayoutArchive,
  splitReference,
} from './archive/layout-archive.js';
export {
  type ArchiveArtifact,
  REF_NAME,
  type WriteArchiveOptions,
  type WriteArchiveResult,
  writeLayoutArchive,
} from './archive/layout-archive-writer.js';
export { internalRange } from './auth/address-range.js';
export { Authenticator, tokenRequestUrl } from './auth/authenticator.js';
export { parseWwwAuthenticate } from './auth/challenge.js';
export { checkRealm } from './auth/realm.js';
export { type CopyOptions, type CopyProgressEvent, copy, copyBlobs } from './copy/copy.js';
export { isLayoutLocation, parseLayoutLocation } from './copy/layout-location.js';
export {
  authFileCredential,
  dockerConfigPath,
  helperFor,
  loginAuthPath,
  podmanAuthPath,
  writeAuthEntry,
} from './credentials/auth-file.js';
export { helperErase, helperGet, helperStore } from './credentials/credential-helper.js';
export { defaultCredentialProvider } from './credentials/provider.js';
export { CredentialStore } from './credentials/store.js';
export type { Credential, CredentialProvider } from './credentials/types.js';
export { RegistryError } from './http/errors.js';
export { createLimiter } from './http/limiter.js';
export type { RetryPolicy } from './http/retry.js';
export { SCHEME_MISMATCH } from './http/scheme-mismatch.js';
export type { TlsMaterial, TransportTimeouts } from './http/transport.js';
export { type BaseImage, readBaseImage } from './image/base-image.js';
export {
  type BuildImageOptions,
  type BuiltImage,
  buildImage,
  composeImage,
  type ImageLayerFile,
} from './image/build-image.js';
export {
  type ConfigChanges,
  type ContainerConfig,
  deriveImageConfig,
  type HistoryEntry,
  type ImageConfig,
  parseImageConfig,
} from './image/image-config.js';
export {
  DEFAULT_PLATFORM,
  formatPlatform,
  type ImagePlatform,
  parsePlatform,
  platformMatches,
  selectPlatform,
} from './image/platform.js';
export { BLOB_READ_CHUNK_BYTES, openBlobFile } from './layout/blob-file-stream.js';
export { digestOf } from './layout/digest.js';
export { LayoutStore } from './layout/layout-store.js';
export { OciLayout } from './layout/oci-layout.js';
export {
  fetchInto,
  MirroredRepository,
  type MirroredRepositoryOptions,
} from './mirror/mirrored-repository.js';
export { readCappedBytes } from './read-capped.js';
export { login, logout } from './registry/login.js';
export { RegistryPool } from './registry/pool.js';
export { Registry, type RegistryOptions } from './registry/registry.js';
export { RegistryRepository } from './registry/repository.js';
export { reopenable } from './reopenable.js';
export { registryServerEntry } from './server/entry.js';
export { type RunningRegistryServer, startRegistryServer } from './server/registry-server.js';
export {
  decryptPrivateKey,
  encryptPrivateKey,
  generateSigningKeyPair,
  type KeyPairFiles,
  PRIVATE_KEY_PEM_TYPE,
  publicKeyPem,
  readPublicKey,
} from './signing/key-file.js';
export {
  buildPayload,
  MAX_PAYLOAD_BYTES,
  parsePayload,
  repositoryPath,
  SIMPLE_SIGNING_TYPE,
  type SignaturePayload,
} from './signing/payload.js';
export { signPayload, verifyPayload } from './signing/signature.js';
export {
  blobOf,
  type InlineBlob,
  isSignatureTag,
  SIGNATURE_ANNOTATION,
  SIGNATURE_ARTIFACT_TYPE,
  SIGNATURE_LAYER_MEDIA_TYPE,
  signatureManifest,
  signatureTag,
} from './signing/signature-manifest.js';
export type { ContentTarget, Descriptor, ImageIndex, ImageManifest } from './types.js';
