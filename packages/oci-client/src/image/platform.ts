/**
 * Image platforms (`os/architecture[/variant]`, image-spec `image-index.md`): parsing the flag form
 * and picking one manifest of an index.
 */
import { ProvisioningError } from '@provisioning/schemas';
import type { Descriptor } from '../types.js';

export interface ImagePlatform {
  os: string;
  architecture: string;
  variant?: string;
}

export const DEFAULT_PLATFORM: ImagePlatform = { os: 'linux', architecture: 'amd64' };

const PART = /^[a-z0-9][a-z0-9._-]{0,31}$/;

/** `linux/amd64`, `linux/arm64/v8`; FLAG_INVALID otherwise. */
export function parsePlatform(text: string): ImagePlatform {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3 || !parts.every((part) => PART.test(part))) {
    throw new ProvisioningError(
      'FLAG_INVALID',
      `platform ${JSON.stringify(text.slice(0, 80))} is not OS/ARCH[/VARIANT]`,
      {
        kind: 'usage',
        hint: 'write e.g. linux/amd64 or linux/arm64/v8',
      },
    );
  }
  const [os, architecture, variant] = parts as [string, string, string?];
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

export function formatPlatform(platform: Partial<ImagePlatform> | undefined): string {
  if (!platform?.os || !platform.architecture) return 'unknown';
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/**
 * Does `candidate` run on `wanted`? A wanted variant must match; an unnamed one accepts any (arm64
 * images are often listed without `v8`).
 */
export function platformMatches(
  candidate: Partial<ImagePlatform> | undefined,
  wanted: ImagePlatform,
): boolean {
  if (candidate?.os !== wanted.os || candidate.architecture !== wanted.architecture) return false;
  return (
    wanted.variant === undefined || candidate.variant === undefined || candidate.variant === wanted.variant
  );
}

/** The index entry for `wanted`: an exact variant match first, then the first compatible one. */
export function selectPlatform(
  manifests: readonly Descriptor[],
  wanted: ImagePlatform,
): Descriptor | undefined {
  const compatible = manifests.filter((m) => platformMatches(m.platform, wanted));
  return compatible.find((m) => m.platform?.variant === wanted.variant) ?? compatible[0];
}
