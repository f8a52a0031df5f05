export * from './load-module.js';
