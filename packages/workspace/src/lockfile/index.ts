export * from './lockfile-io.js';
