export { type LockOptions, withFileLock } from './file-lock.js';
export type { GcResult } from './layout-gc.js';
export { assertValidRepositoryName, isValidRepositoryName, LayoutStore } from './layout-store.js';
export { type GcOptions, OciLayout, type OpenLayoutOptions } from './oci-layout.js';
