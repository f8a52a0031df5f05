import { ProvisioningError } from '@provisioning/schemas';
import type { ValueLocation } from './registry-host.js';

/** The registry timeout when nothing sets one (docs/oci.md, "Timeouts and retries"). */
export const DEFAULT_TIMEOUT_MS = 60_000;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const MAX_MS = 24 * 3_600_000;

/**
 * A duration in milliseconds: plain seconds (`30`) or amounts with units, alone or combined
 * (`500ms`, `30s`, `2m`, `1m30s`, `1.5s`). Zero, negative, more than a day or anything else is
 * refused naming where the value came from.
 */
export function parseDuration(raw: string, location: ValueLocation): number {
  const value = raw.trim().toLowerCase();
  let ms: number | undefined;
  if (/^\d+(\.\d+)?$/.test(value)) {
    ms = Number(value) * 1000;
  } else if (/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(value)) {
    ms = 0;
    for (const [, amount, , unit] of value.matchAll(/(\d+(\.\d+)?)(ms|s|m|h)/g)) {
      ms += Number(amount) * (UNIT_MS[unit ?? 's'] ?? 1000);
    }
  }
  if (ms === undefined || !(ms >= 1) || ms > MAX_MS) {
    const why = ms === undefined ? 'not a duration' : ms > MAX_MS ? 'more than 24h' : 'must be more than 0';
    throw new ProvisioningError(location.code, `${location.where}: invalid timeout "${raw}" (${why})`, {
      kind: location.code === 'FLAG_INVALID' ? 'usage' : 'input',
      hint: 'give seconds or a duration such as 30s, 2m or 1m30s',
      details: { value: raw, where: location.where },
    });
  }
  return Math.round(ms);
}
