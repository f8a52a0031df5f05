// Writes the JSON Schema files shipped in `schema/` (filled in by the schemas work).
import { mkdirSync } from 'node:fs';

mkdirSync(new URL('../schema/', import.meta.url), { recursive: true });
