import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'cli',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    disableConsoleIntercept: true,
    // GitHub's workflow parser imports JSON without an import attribute, which Node 20 refuses;
    // transformed by vitest it loads (test/ci-replay.test.ts)
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
