export * from './extension-artifact.js';
export * from './extension-source.js';
export * from './local-source.js';
export * from './oci-source.js';
export * from './source-kind.js';
export * from './workspace-source.js';
