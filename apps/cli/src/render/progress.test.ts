import { describe, expect, it } from 'vitest';
import { createTransferProgress, formatBytes, formatProgressLine } from './progress.js';

function fakeTerminal(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, columns: 80, writes, write: (text: string) => writes.push(text) };
}

describe('transfer progress', () => {
  it('formats sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MiB');
  });

  it('draws a bar with percent, bytes and blob counts that fits the terminal', () => {
    const line = formatProgressLine(
      { label: 'push redis', total: 2048, done: 1024, blobs: 2, blobsDone: 1 },
      80,
    );
    expect(line).toContain('push redis');
    expect(line).toContain(' 50%');
    expect(line).toContain('1.0 KiB / 2.0 KiB');
    expect(line).toContain('1/2 blobs');
    expect(line.length).toBeLessThan(80);
    expect(
      formatProgressLine({ label: 'x'.repeat(100), total: 1, done: 1, blobs: 1, blobsDone: 1 }, 40).length,
    ).toBe(39);
  });

  it('is silent when the stream is not a terminal or output is disabled', () => {
    const pipe = fakeTerminal(false);
    const progress = createTransferProgress('pull', { enabled: true, stream: pipe });
    progress.onProgress({ type: 'blob-copied', descriptor: { digest: 'sha256:a', size: 10 } });
    progress.finish();
    expect(pipe.writes).toEqual([]);
    const tty = fakeTerminal(true);
    const json = createTransferProgress('pull', { enabled: false, stream: tty });
    json.onProgress({ type: 'blob-copied', descriptor: { digest: 'sha256:a', size: 10 } });
    expect(tty.writes).toEqual([]);
  });

  it('redraws in place on a terminal, throttles byte updates and clears the line at the end', () => {
    const tty = fakeTerminal(true);
    let clock = 1000;
    const progress = createTransferProgress('copy', { enabled: true, stream: tty, now: () => clock });
    const layer = { digest: 'sha256:b', size: 1000 };
    progress.onProgress({ type: 'bytes', descriptor: layer, transferred: 100 });
    progress.onProgress({ type: 'bytes', descriptor: layer, transferred: 200 }); // same instant: skipped
    clock += 150;
    progress.onProgress({ type: 'bytes', descriptor: layer, transferred: 500 });
    progress.onProgress({ type: 'blob-copied', descriptor: layer }); // completion always drawn
    progress.onProgress({ type: 'manifest-copied', descriptor: { digest: 'sha256:m', size: 300 } });
    progress.finish();
    expect(tty.writes).toHaveLength(4);
    expect(tty.writes[0]).toMatch(/^\r\x1b\[2Kcopy .* 10% /);
    expect(tty.writes[1]).toContain(' 50%');
    expect(tty.writes[2]).toContain('100%');
    expect(tty.writes[2]).toContain('1/1 blobs');
    expect(tty.writes[3]).toBe('\r\x1b[2K');
  });
});
