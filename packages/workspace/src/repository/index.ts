export * from './open-repository.js';
