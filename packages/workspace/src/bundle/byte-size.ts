/** `--max-size` values: bytes, or a number with K/M/G/T (powers of 1024, `KiB`/`KB` spelled either way). */
import { ProvisioningError } from '@provisioning/schemas';

const UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** The smallest part accepted: anything smaller is a mistake in the unit. */
export const MIN_PART_BYTES = 4096;

export function parseByteSize(value: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:I?B)?\s*$/i.exec(value);
  const bytes = match
    ? Math.floor(Number(match[1]) * (UNITS[(match[2] ?? '').toUpperCase()] ?? Number.NaN))
    : Number.NaN;
  if (!Number.isSafeInteger(bytes) || bytes < MIN_PART_BYTES) {
    throw new ProvisioningError(
      'FLAG_INVALID',
      `${flag} ${JSON.stringify(value)} is not a size of at least 4K`,
      {
        kind: 'usage',
        hint: `give bytes or a size like 700M, 4G or 4GiB to ${flag}`,
        details: { value },
      },
    );
  }
  return bytes;
}
