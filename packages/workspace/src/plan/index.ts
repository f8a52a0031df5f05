export * from './install-plan.js';
