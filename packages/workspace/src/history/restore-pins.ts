/**
 * A rollback puts the config's module lists back to what a generation was installed for, through the
 * comment-keeping config edits: a listed module gets the generation's reference, a missing one is
 * added, one the generation did not have is removed. Everything else in the file stays as it is.
 */
import type { ConfigDraft } from '../config-edit/module-list-edit.js';
import type { ConfigPin } from '../install/generation-record.js';

export interface PinChange {
  name: string;
  from?: string;
  to?: string;
}

export function restorePins(draft: ConfigDraft, listed: ConfigPin[], pins: ConfigPin[]): PinChange[] {
  const changes: PinChange[] = [];
  const now = new Map(listed.map((p) => [p.name, p]));
  for (const pin of pins) {
    const was = now.get(pin.name);
    if (was === undefined) {
      draft.addModuleReference(pin.type, pin.reference);
      changes.push({ name: pin.name, to: pin.reference });
    } else if (was.type !== pin.type) {
      draft.removeModuleReference(pin.name);
      draft.addModuleReference(pin.type, pin.reference);
      changes.push({ name: pin.name, from: was.reference, to: pin.reference });
    } else if (draft.setModuleReference(pin.name, pin.reference)) {
      changes.push({ name: pin.name, from: was.reference, to: pin.reference });
    }
  }
  const kept = new Set(pins.map((p) => p.name));
  for (const was of listed) {
    if (kept.has(was.name)) continue;
    draft.removeModuleReference(was.name);
    changes.push({ name: was.name, from: was.reference });
  }
  return changes;
}
