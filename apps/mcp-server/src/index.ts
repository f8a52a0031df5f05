export { type CatalogContext, openCatalogContext } from './catalog-context.js';
export { createMcpServer, type McpServerOptions } from './create-server.js';
export { type HttpOptions, type RunningHttpServer, startHttpServer } from './http-transport.js';
export { serveStdio } from './stdio-transport.js';
export { WRITE_TOOLS } from './tools/write-tools.js';
