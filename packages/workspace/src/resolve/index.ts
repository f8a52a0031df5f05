export * from './check-updates.js';
export * from './core-version.js';
export * from './explained-failure.js';
export * from './installed-graph.js';
export * from './lockfile-build.js';
export * from './lockfile-check.js';
export * from './resolve-workspace.js';
export * from './root-modules.js';
