import { describe, expect, it } from 'vitest';
import { normalizeScopes, repositoryScope } from './scope.js';

describe('scopes', () => {
  it('builds repository scopes', () => {
    expect(repositoryScope('ns/app', ['pull', 'push'])).toBe('repository:ns/app:pull,push');
  });

  it('merges actions per resource and sorts for a stable cache key', () => {
    expect(
      normalizeScopes([
        'repository:b/x:push',
        'repository:a/y:pull',
        'repository:b/x:pull',
        'repository:a/y:pull registry:catalog:*',
      ]),
    ).toEqual(['registry:catalog:*', 'repository:a/y:pull', 'repository:b/x:pull,push']);
    expect(normalizeScopes([])).toEqual([]);
  });

  it('keeps registry host ports in resource names intact', () => {
    expect(normalizeScopes(['repository:localhost:5000/ns/app:pull'])).toEqual([
      'repository:localhost:5000/ns/app:pull',
    ]);
  });
});
