export * from './auth/index.js';
export * from './copy/index.js';
export * from './credentials/index.js';
export * from './layout/index.js';
export * from './registry/index.js';
export * from './server/index.js';
export * from './types.js';
