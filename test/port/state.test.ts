/** decodeDocumentState: what every host hands it, and the one answer it gives. */
import { GENESIS_HASH, decodeDocumentState, type DocumentState } from '../../core';

const GOOD: DocumentState = {
  version: 1,
  sites: {
    '001': { site: '001', state: 'submitted', submittedBy: 'a@b.org', submittedHash: 'c'.repeat(64) },
  },
  lastAuditHash: 'f'.repeat(64),
};
const EMPTY: DocumentState = { version: 1, sites: {}, lastAuditHash: GENESIS_HASH };

describe('decodeDocumentState', () => {
  it.each([
    ['nothing stored (undefined)', undefined],
    ['nothing stored (null, as Office settings say)', null],
    ['nothing stored (an empty property)', ''],
  ])('reads %s as the empty state, without a finding', (_, stored) => {
    expect(decodeDocumentState(stored)).toEqual({ state: EMPTY, diagnostics: [] });
  });

  it.each([
    ['a JSON string', JSON.stringify(GOOD)],
    ['a parsed object (Excel settings)', GOOD],
  ])('reads a good state from %s', (_, stored) => {
    expect(decodeDocumentState(stored)).toEqual({ state: GOOD, diagnostics: [] });
  });

  it.each([
    ['text cut short', '{"version":1,"si', /not valid JSON/],
    ['a list', '[1,2]', /not a record/],
    ['another version', { ...GOOD, version: 2 }, /version 2/],
    ['a hash that is not SHA-256', { ...GOOD, lastAuditHash: 'abc' }, /last audit hash/],
    ['sites that are not a record', { ...GOOD, sites: [] }, /list of sites/],
    ['a site filed under another code', { ...GOOD, sites: { '002': GOOD.sites['001'] } }, /names site "001"/],
    ['a site in an unknown state', { ...GOOD, sites: { '001': { site: '001', state: 'done' } } }, /"done"/],
    [
      'a site whose submitter is not text',
      { ...GOOD, sites: { '001': { site: '001', state: 'draft', submittedBy: 7 } } },
      /submittedBy/,
    ],
  ])('reads %s as the empty state with a fatal BL820 saying why', (_, stored, why) => {
    const { state, diagnostics } = decodeDocumentState(stored);
    expect(state).toEqual(EMPTY);
    expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([['BL820', 'fatal']]);
    expect(diagnostics[0]?.message).toMatch(why);
  });
});
