export * from './canonical-json.js';
export * from './digest.js';
export { closestMatch, editDistance } from './edit-distance.js';
export * from './error-catalogue.js';
export * from './errors.js';
export * from './file-system-error.js';
export * from './json-schema.js';
export * from './lockfile.js';
export * from './make-directory.js';
export * from './manifest.js';
export * from './media-types.js';
export * from './parse-limits.js';
export * from './path-exists.js';
export * from './provisioning-home.js';
export * from './reference.js';
export {
  configuredRegistryProblem,
  isValidConfiguredRegistry,
  isValidPathComponent,
  isValidRegistry,
  isValidRepository,
  isValidTag,
  looksLikeRegistry,
  NAME_TOTAL_LENGTH_MAX,
  REGISTRY_NAME_HINT,
  TAG_LENGTH_MAX,
} from './reference-grammar.js';
export * from './workspace-config.js';
export * from './write-file-atomic.js';
export { checkYamlLimits } from './yaml-limits.js';
export * from './yaml-load.js';
export { endpointProblem, rangeProblem, semverProblem } from './zod-validators.js';
