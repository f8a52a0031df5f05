import { isIP, Socket } from 'node:net';

export interface LoopbackGuard {
  /** Every non-loopback host a socket tried to connect to (the connection was refused before any DNS lookup). */
  attempts: string[];
  /** Restore `net.Socket.prototype.connect`. */
  restore(): void;
}

function isLoopback(host: string): boolean {
  const name = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (name === 'localhost' || name.endsWith('.localhost') || name === '::1') return true;
  return isIP(name) === 4 && name.startsWith('127.');
}

/**
 * Makes every TCP connection of this process to a host that is not loopback fail at once (before
 * DNS), and records it: tests of refused destinations (token realms on 169.254.169.254, private
 * addresses) stay on loopback even if the code under test is wrong. Unix sockets are untouched.
 */
export function guardLoopbackOnly(): LoopbackGuard {
  const attempts: string[] = [];
  const original = Socket.prototype.connect;
  // biome-ignore lint/suspicious/noExplicitAny: Socket#connect has several overloads
  Socket.prototype.connect = function guarded(this: Socket, ...args: any[]) {
    const first = args[0];
    const options = Array.isArray(first) ? first[0] : first;
    let host: string | undefined;
    if (typeof options === 'object' && options !== null && options.path === undefined) {
      host = options.host ?? 'localhost';
    } else if (typeof options === 'number' || (typeof options === 'string' && /^\d+$/.test(options))) {
      host = typeof args[1] === 'string' ? args[1] : 'localhost';
    }
    if (host !== undefined && !isLoopback(host)) {
      attempts.push(host);
      process.nextTick(() =>
        this.destroy(new Error(`test guard: refused to connect to non-loopback ${host}`)),
      );
      return this;
    }
    return original.apply(this, args as Parameters<typeof original>);
  } as typeof original;
  return {
    attempts,
    restore: () => {
      Socket.prototype.connect = original;
    },
  };
}
