export * from './platform-images.js';
