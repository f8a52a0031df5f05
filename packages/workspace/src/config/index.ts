export * from './config-layer.js';
export * from './discover.js';
export * from './effective-config.js';
export * from './env-values.js';
export * from './home.js';
export * from './load-effective-config.js';
export * from './namespace.js';
export * from './registry-host.js';
