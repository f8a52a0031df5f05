import { defineConfig } from 'vitest/config';

// One run over every package: `pnpm test` (after a build) or `pnpm test:unit`.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
    // Integration suites start real registries; two cores are the norm here.
    maxWorkers: 2,
  },
});
