export * from './errors.js';
export * from './media-types.js';
