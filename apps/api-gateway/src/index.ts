/** The public API of `@provisioning/api-gateway` (each name is described in the app README). */

export { openApiDocument } from './openapi.js';
export { MAX_MODULES } from './request-schemas.js';
export {
  type ApiServer,
  type ApiServerOptions,
  createApiServer,
  isLoopbackHost,
  MAX_BODY_BYTES,
  type RunningApiServer,
  startApiServer,
} from './server.js';
