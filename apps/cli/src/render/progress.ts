/**
 * Transfer progress on stderr — one line redrawn in place, only when stderr is a terminal and
 * machine output (`--json`) was not asked for; silent otherwise so pipes and logs stay clean.
 * Fed with the copy/push/pull progress events of `@provisioning/oci-client`.
 */

/** The events we render (structurally the oci-client's `CopyProgressEvent`). */
export type TransferEvent =
  | { type: 'bytes'; descriptor: { digest: string; size: number }; transferred: number }
  | { type: string; descriptor: { digest: string; size: number } };

export interface TransferState {
  label: string;
  /** Bytes known so far (sum of the sizes of blobs seen). */
  total: number;
  done: number;
  blobs: number;
  blobsDone: number;
}

export interface TransferProgress {
  onProgress(event: TransferEvent): void;
  /** Clear the line (the command prints its own result afterwards). */
  finish(): void;
}

interface Output {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

const REDRAW_MS = 100;

export function createTransferProgress(
  label: string,
  options: { enabled: boolean; stream?: Output; now?: () => number },
): TransferProgress {
  const stream: Output = options.stream ?? process.stderr;
  if (!options.enabled || !stream.isTTY) return { onProgress: () => undefined, finish: () => undefined };
  const now = options.now ?? Date.now;
  const blobs = new Map<string, { size: number; transferred: number; done: boolean }>();
  let lastDraw = 0;
  let drawn = false;

  const state = (): TransferState => {
    let total = 0;
    let done = 0;
    let blobsDone = 0;
    for (const blob of blobs.values()) {
      total += blob.size;
      done += blob.done ? blob.size : Math.min(blob.transferred, blob.size);
      if (blob.done) blobsDone++;
    }
    return { label, total, done, blobs: blobs.size, blobsDone };
  };
  const draw = (force: boolean) => {
    const time = now();
    if (!force && time - lastDraw < REDRAW_MS) return;
    lastDraw = time;
    drawn = true;
    // a terminal without a size (e.g. under `script`) reports 0 columns
    stream.write(`\r\x1b[2K${formatProgressLine(state(), stream.columns || 80)}`);
  };

  return {
    onProgress(event) {
      if (event.type.startsWith('manifest')) return;
      const blob = blobs.get(event.descriptor.digest) ?? {
        size: event.descriptor.size,
        transferred: 0,
        done: false,
      };
      blobs.set(event.descriptor.digest, blob);
      if (event.type === 'bytes' && 'transferred' in event) blob.transferred = event.transferred;
      else blob.done = true;
      draw(blob.done);
    },
    finish() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}

/** `push redis  [██████░░░░░░]  52%  1.2 MiB / 2.3 MiB  1/2 blobs`, cut to `columns`. */
export function formatProgressLine(state: TransferState, columns: number): string {
  const ratio = state.total > 0 ? Math.min(1, state.done / state.total) : 0;
  const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
  const tail = `${percent}  ${formatBytes(state.done)} / ${formatBytes(state.total)}  ${state.blobsDone}/${state.blobs} blobs`;
  const barWidth = Math.max(10, Math.min(30, columns - state.label.length - tail.length - 8));
  const filled = Math.round(ratio * barWidth);
  const line = `${state.label}  [${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}] ${tail}`;
  return line.length > columns - 1 ? line.slice(0, Math.max(0, columns - 1)) : line;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
