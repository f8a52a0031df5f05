export * from './auth-file.js';
export * from './credential-helper.js';
export * from './provider.js';
export * from './store.js';
export * from './token-file.js';
export * from './types.js';
