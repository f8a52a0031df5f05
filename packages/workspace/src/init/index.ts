export * from './init-workspace.js';
export * from './workspace-info.js';
export * from './workspace-template.js';
