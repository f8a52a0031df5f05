// Writes the JSON Schema files shipped in `schema/` from the built zod schemas (see src/json-schema.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { jsonSchemaFiles } from '../dist/index.js';

const dir = new URL('../schema/', import.meta.url);
mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(jsonSchemaFiles())) writeFileSync(new URL(name, dir), text);
