import { describe, expect, it } from 'vitest';
import { compareIds, isSafeguardingNode } from '../src/index.js';

describe('compareIds', () => {
  it('is code-unit order, not locale order', () => {
    const ids = ['b', 'B', 'a', 'Z', '10', '9', 'é', 'e'];
    // Code units: digits < upper case < lower case < accented; localeCompare would put 'a' before 'B'.
    expect([...ids].sort(compareIds)).toEqual(['10', '9', 'B', 'Z', 'a', 'b', 'e', 'é']);
    expect(compareIds('x', 'x')).toBe(0);
  });
});

describe('isSafeguardingNode', () => {
  it('reads the flags on the node or on the record it carries', () => {
    expect(isSafeguardingNode({ vulnerable: true })).toBe(true);
    expect(isSafeguardingNode({ record: { kind: 'person', under_18: true } })).toBe(true);
    expect(isSafeguardingNode({ record: { kind: 'location', cuckooed: true } })).toBe(true);
    expect(isSafeguardingNode({ vulnerable: false, record: { exploited: false } })).toBe(false);
    expect(isSafeguardingNode({ vulnerable: 'yes' })).toBe(false);
    expect(isSafeguardingNode(undefined)).toBe(false);
  });
});
