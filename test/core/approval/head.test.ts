import {
  AUDIT_COLUMNS,
  ChainHeadChangedError,
  GENESIS_HASH,
  auditHeadOf,
  checkChainHead,
} from '../../../core';

const h = (c: string): string => c.repeat(64);
const row = (hash: string): string[] =>
  AUDIT_COLUMNS.map((_, i) => (i === AUDIT_COLUMNS.length - 1 ? hash : 'x'));

describe('auditHeadOf', () => {
  it('is the Hash column of the last entry, skipping trailing blank rows', () => {
    const rows = [[...AUDIT_COLUMNS], row(h('a')), row(h('b')), ['', null, '']];
    expect(auditHeadOf(rows)).toBe(h('b'));
  });

  it('finds the Hash column by its header, wherever it is', () => {
    const header = ['Hash', ...AUDIT_COLUMNS.slice(0, -1)];
    expect(auditHeadOf([header, [h('c'), 'x', 'y']])).toBe(h('c'));
  });

  it('is the genesis hash for an empty Audit sheet or none', () => {
    expect(auditHeadOf([[...AUDIT_COLUMNS]])).toBe(GENESIS_HASH);
    expect(auditHeadOf(undefined)).toBe(GENESIS_HASH);
  });
});

describe('checkChainHead', () => {
  it('passes when the head is where the step read it, and refuses otherwise', () => {
    expect(() => checkChainHead(h('a'), h('a'))).not.toThrow();
    expect(() => checkChainHead(h('a'), h('b'))).toThrow(ChainHeadChangedError);
    expect(() => checkChainHead(h('a'), h('b'))).toThrow(/changed by someone else.*Run it again/);
    expect(() => checkChainHead(h('a'), h('b'), 'kept head differs')).toThrow('kept head differs');
  });
});
