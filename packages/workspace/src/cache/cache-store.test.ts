import { describe, expect, it } from 'vitest';
import { sanitiseRegistryHost } from './cache-store.js';

describe('sanitiseRegistryHost', () => {
  it('turns hosts into single valid repository path components, keeping them distinct', () => {
    expect(sanitiseRegistryHost('localhost:5000')).toBe('localhost_5000');
    expect(sanitiseRegistryHost('127.0.0.1:5000')).toBe('127.0.0.1_5000');
    expect(sanitiseRegistryHost('Harbor.Company.com')).toBe('harbor.company.com');
    expect(sanitiseRegistryHost('[::1]:5000')).toBe('ipv6-1_5000');
    const all = ['localhost:5000', 'localhost:5001', 'localhost', 'a.b:1', 'a-b:1', '[::1]', '[::2]:1'].map(
      sanitiseRegistryHost,
    );
    expect(new Set(all).size).toBe(all.length);
    for (const name of all) expect(name).toMatch(/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/);
  });
});
