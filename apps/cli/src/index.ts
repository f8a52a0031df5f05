export * from './base-command.js';
export * from './errors/describe-error.js';
export * from './errors/redact.js';
export * from './render/index.js';
