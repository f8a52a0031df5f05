/**
 * `oci pull REF... --output DIR`: several extensions in one run (like `helm pull A B --untardir
 * DIR`), each verified into the cache and unpacked into `DIR/<name>`. Names are checked for clashes
 * before anything is fetched; pulls run concurrently and every failure is reported at the end.
 */
import path from 'node:path';
import { nameSource, placeEach } from './artifact-name.js';
import { eachSettled } from './each-settled.js';
import type { OciSession } from './oci-session.js';
import { type PullExtensionOptions, type PullExtensionResult, pullExtension } from './pull-extension.js';

export interface PullExtensionsOptions extends Omit<PullExtensionOptions, 'output'> {
  /** Parent directory: each extension goes to `<outputDir>/<name>` (default: the current directory). */
  outputDir?: string;
  /** Extensions in flight at once (default 8). */
  concurrency?: number;
}

export interface PullExtensionsResult {
  pulled: PullExtensionResult[];
  failed: { reference: string; output: string; error: unknown }[];
}

export async function pullExtensions(
  session: OciSession,
  references: readonly string[],
  options: PullExtensionsOptions = {},
): Promise<PullExtensionsResult> {
  const { outputDir, concurrency, ...single } = options;
  const parent = path.resolve(options.cwd ?? process.cwd(), outputDir ?? '.');
  const plan = placeEach(references, (reference) => path.join(parent, nameSource(session, reference).name), {
    code: 'PULL_OUTPUT_CLASH',
    hint: 'pull extensions with the same name in separate runs',
  }).map(({ source, place }) => ({ reference: source, output: place }));
  const settled = await eachSettled(plan, concurrency ?? 8, (entry) =>
    pullExtension(session, entry.reference, { ...single, output: entry.output }),
  );
  return {
    pulled: settled.done.map((d) => d.result),
    failed: settled.failed.map((f) => ({ ...f.item, error: f.error })),
  };
}
