export * from './module-list-edit.js';
