export * from './annotated-block.js';
export * from './table.js';
export * from './text-width.js';
export * from './tree.js';
export * from './storage-line.js';
