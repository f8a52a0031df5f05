export * from './render-templates.js';
export * from './taskserv-preview.js';
