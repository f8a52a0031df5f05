export * from './distribution.js';
export * from './free-port.js';
export * from './http-server.js';
export * from './loopback-guard.js';
export * from './require-binary.js';
export * from './temp-dir.js';
export * from './token-issuer.js';
export * from './token-server.js';
