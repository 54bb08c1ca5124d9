import { MemoryPort } from '../../core';
import { describePortContract } from './contract';

describePortContract('MemoryPort', () => {
  const port = new MemoryPort({ user: { email: 'principal@district.k12.us', verified: true } });
  return Promise.resolve({
    port,
    inspect: {
      marks: (sheet: string) => Promise.resolve(port.marks(sheet)),
      protectedSheets: () => Promise.resolve(Object.keys(port.protectedSheets())),
      // A MemoryPort dropdown only suggests, as the Dropdown contract says.
      dropdowns: () => Promise.resolve(port.dropdowns().map((d) => ({ ...d, strict: false }))),
      tables: () => Promise.resolve(port.tables()),
      numberFormat: (sheet: string, cell: string) => Promise.resolve(port.numberFormat(sheet, cell)),
      charts: (sheet: string) => Promise.resolve(port.charts(sheet)),
      print: (sheet: string) => Promise.resolve(port.printSetup(sheet) ?? null),
    },
    expectedUser: { email: 'principal@district.k12.us', verified: true },
    supportsDates: true,
    mergeCells: (sheet: string, range: string) => Promise.resolve(port.mergeCells(sheet, range)),
    reopen: () => Promise.resolve(port),
    storeRawState: (raw: string) => {
      port.storeRawState(raw);
      return Promise.resolve(port);
    },
  });
});

describe('MemoryPort', () => {
  it('counts one round trip per read and per write', async () => {
    const port = new MemoryPort();
    await port.read({ sheets: 'all', state: true, user: true });
    await port.write({ sheets: [{ sheet: 'A', values: [['x']] }], state: port.state });
    expect(port.roundTrips).toEqual({ reads: 1, writes: 1 });
    port.resetCounts();
    expect(port.roundTrips).toEqual({ reads: 0, writes: 0 });
  });

  it('reports a null user when none is set', async () => {
    expect((await new MemoryPort().read({ user: true })).user).toBeNull();
  });

  it('keeps header rows frozen when written at A1', async () => {
    const port = new MemoryPort();
    await port.write({ sheets: [{ sheet: 'A', values: [['h'], ['v']], header: true }] });
    expect(port.header('A')).toEqual({ row: 0, frozenRows: 1 });
  });
});
