export { type LockOptions, withFileLock } from './file-lock.js';
export { assertValidRepositoryName, isValidRepositoryName, LayoutStore } from './layout-store.js';
export {
  isIndexMediaType,
  isManifestMediaType,
  manifestArtifactType,
  manifestChildren,
  manifestMediaType,
  type ParsedManifest,
  parseManifest,
  readCapped,
} from './manifest-json.js';
export { type GcOptions, type GcResult, OciLayout, type OpenLayoutOptions } from './oci-layout.js';
export { VerifyingStream } from './verify-stream.js';
