export * from './workspace-settings.js';
