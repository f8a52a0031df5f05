export * from './address-range.js';
export * from './authenticator.js';
export * from './challenge.js';
export * from './realm.js';
export * from './scope.js';
export * from './token-cache.js';
