export { registryServerEntry } from './entry.js';
export {
  type RegistryServerOptions,
  type RunningRegistryServer,
  startRegistryServer,
} from './registry-server.js';
