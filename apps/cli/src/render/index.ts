export * from './annotated-block.js';
export * from './storage-line.js';
export * from './table.js';
export * from './text-width.js';
export * from './tree.js';
