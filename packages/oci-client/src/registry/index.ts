export * from '../http/errors.js';
export { createLimiter, Limiter } from '../http/limiter.js';
export * from '../http/origin.js';
export * from '../http/retry.js';
export {
  DEFAULT_TIMEOUTS,
  type HttpRequest,
  type HttpResponse,
  type TlsMaterial,
  Transport,
  type TransportOptions,
  type TransportTimeouts,
} from '../http/transport.js';
export { defaultUserAgent, setDefaultUserAgent } from '../http/user-agent.js';
export { readCappedBytes } from '../read-capped.js';
export { type ContentOpener, openerOf, reopenable } from '../reopenable.js';
export type { Capabilities } from './context.js';
export * from './link.js';
export * from './login.js';
export type { FetchedManifest } from './manifests.js';
export { ARTIFACT_MANIFEST_MEDIA_TYPE, MANIFEST_ACCEPT } from './media.js';
export * from './pool.js';
export { referrersTag } from './referrers.js';
export * from './registry.js';
export * from './repository.js';
export type { BlobContent, PushBlobOptions, PushBlobResult } from './upload.js';
