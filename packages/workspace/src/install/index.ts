export * from './generations.js';
export * from './layout-paths.js';
export * from './stamps.js';
export * from './transaction.js';
export * from './verify-installed.js';
