// Writes docs/errors.md from the error catalogue in @provisioning/schemas (build it first).
// `packages/schemas/test/error-catalogue.test.ts` fails when the page is out of date.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { errorCatalogueMarkdown } = await import(
  new URL('../packages/schemas/dist/index.js', import.meta.url)
);
writeFileSync(`${root}docs/errors.md`, errorCatalogueMarkdown());
console.log('wrote docs/errors.md');
