export * from './validate-workspace.js';
