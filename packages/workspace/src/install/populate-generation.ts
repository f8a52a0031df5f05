/**
 * Fill a new generation: every module comes from its verified tree in the tree store (unpacked
 * there first if missing) or, when unchanged, from the current generation, by hard links. Modules
 * are done in parallel, bounded by the project's one limiter; nothing here is visible to the user
 * until the transaction commits (docs/architecture.md: atomic install). Install scripts are not run
 * here: `taskserv create` runs them later, in dependency order.
 */
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { createLimiter } from '@provisioning/oci-client';
import { type ExtensionType, moduleSubdir } from './layout-paths.js';
import { pausePoint } from './test-hooks.js';
import type { InstallTransaction } from './transaction.js';
import type { LinkCounts } from './tree-files.js';
import type { TreeStore } from './tree-store.js';

/** Modules unpacked or linked at once: enough to overlap I/O on 2 cores without a burst of open files. */
export const INSTALL_CONCURRENCY = 4;

/** A module of the new generation: carried over from a generation directory, or from its layer's tree. */
export type ModuleToInstall = { name: string; type: ExtensionType } & (
  | { reuseFrom: string }
  | { layerDigest: string; layerSize?: number; openLayer: () => Promise<Readable> }
);

export async function populateGeneration(
  tx: InstallTransaction,
  store: TreeStore,
  modules: ModuleToInstall[],
): Promise<LinkCounts> {
  const limit = createLimiter(INSTALL_CONCURRENCY);
  const total: LinkCounts = { linked: 0, copied: 0 };
  await store.sweep();
  const results = await Promise.allSettled(
    modules.map((m) =>
      limit(async () => {
        let counts: LinkCounts;
        if ('reuseFrom' in m) {
          counts = await tx.reuse(m.type, m.name, join(m.reuseFrom, moduleSubdir(m.type, m.name)));
        } else {
          const tree = await store.ensure(m.layerDigest, m.openLayer, m.layerSize);
          counts = await tx.link(m.type, m.name, tree.dir, tree.listing);
        }
        total.linked += counts.linked;
        total.copied += counts.copied;
        await pausePoint(`after-extract:${m.name}`);
      }),
    ),
  );
  // wait for every task before failing, so the abort that follows removes a directory no one writes
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return total;
}
