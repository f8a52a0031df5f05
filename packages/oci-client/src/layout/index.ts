export { type LockOptions, withFileLock } from './file-lock.js';
export { assertValidRepositoryName, isValidRepositoryName, LayoutStore } from './layout-store.js';
export { type GcOptions, type GcResult, OciLayout, type OpenLayoutOptions } from './oci-layout.js';
