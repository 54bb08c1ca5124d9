/**
 * Every command-line command that writes the workbook takes its lock. The list of commands is the
 * program's own command table (buildProgram), so a new command fails here until it is given an
 * invocation below: one that really writes when the command writes. Each runs in process on its own
 * copy of a small district; every write that lands on the workbook (the temporary file renamed over
 * it, or any write to its path) is caught, and at that moment the lock file beside it must be this
 * process's. Commands that only read must leave the file's bytes as they were. Then decide, the
 * command the session-3 notes said took no lock, races other writers: in process and as two real
 * processes, and every decision lands.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import fsp from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  operations,
  readAuditLog,
  SHEETS,
  verifyAuditLog,
  type WorkbookPort,
  type WriteBatch,
} from '../../core';
import { buildProgram } from '../../cli/index';
import { XlsxPort } from '../../cli/xlsx-port';
import { approvedDistrict, boardDistrict, PEOPLE, type Book } from '../fixtures/board';
import { runCli, spawnCli, tempDir } from './helpers';

jest.setTimeout(300_000);

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir('budgetline-locks-')));
afterAll(() => cleanup());

type State = 'draft' | 'submitted' | 'approved' | 'adopted';

function bookIn(state: State): Book {
  if (state === 'draft' || state === 'submitted') {
    const book = boardDistrict();
    // A line with an unknown object code on the second site: validate has a cell to mark.
    const wm = book.sheets['Washington Middle'];
    if (wm?.[2]) wm[2][1] = '100-2220-699-100-001';
    if (state === 'submitted') {
      const r = book.run(operations.submit, { site: '001' }, PEOPLE.builder);
      if (!r.ok) throw new Error(r.summary);
    }
    return book;
  }
  const book = approvedDistrict(operations);
  if (state === 'adopted') {
    const r = book.run(operations.adopt, { date: '2026-06-18', resolution: '2026-14' }, PEOPLE.cfo);
    if (!r.ok) throw new Error(r.summary);
  }
  book.setSheet(SHEETS.scenarios, [
    ['Scenario', 'Change', 'Fund', 'Applies to', 'Value'],
    ['Lean', 'Enrollment change', null, null, '-2%'],
  ]);
  return book;
}

let n = 0;
/** The district in `state`, written to a new .xlsx file. */
async function workbook(state: State): Promise<string> {
  const book = bookIn(state);
  const file = join(dir, `${state}-${++n}.xlsx`);
  const batch: WriteBatch = {
    sheets: book.names.map((sheet) => ({ sheet, values: book.sheets[sheet] ?? [] })),
    state: book.state,
  };
  await (await XlsxPort.create(file)).write(batch);
  return file;
}

const CSV_LINES = 'Account,Description,Amount\n100-1000-610-100-001,Paper,125.50\n';
const CSV_ACTUALS =
  'Org,Account,YTD Actual,Encumbered,Posting date\n001,100-1000-610-100-001,1200.00,0,2027-02-01\n';

function proposal(file: string, id: string): string[] {
  return [
    'propose',
    file,
    '--id',
    id,
    '--as',
    PEOPLE.builder,
    '--title',
    'Library books',
    '--site',
    '001',
    '--type',
    'addition',
    '--recurrence',
    'one-time',
    '--account',
    '100-1000-640-100-001',
    '--budget-year',
    '1250',
  ];
}

interface Invocation {
  /** Whether the command writes the workbook when run as below. */
  readonly writes: boolean;
  readonly state: State;
  /** Run first (not watched): what the invocation needs in the workbook. */
  readonly setup?: (file: string) => Promise<void>;
  readonly args: (file: string) => string[];
  /** The exit status it ends with (0 unless said: validate marks a fatal finding, so 1). */
  readonly exit?: number;
}

const must = async (args: string[]): Promise<void> => {
  const r = await runCli(args);
  if (r.code !== 0) throw new Error(`${args.join(' ')}: exit ${r.code}\n${r.stdout}${r.stderr}`);
};

/**
 * One invocation per command of the program, keyed by its name. `demo` is the one command that
 * opens no workbook it is given: it builds a folder of its own (README: every command that opens a
 * workbook takes its lock, all but demo).
 */
const INVOCATIONS: Readonly<Record<string, Invocation | 'opens no workbook'>> = {
  init: {
    writes: true,
    state: 'approved',
    args: (f) => ['init', f, '--fiscal-year', '2027', '--rebuild', '--as', PEOPLE.cfo],
  },
  import: {
    writes: true,
    state: 'draft',
    setup: async (f) => writeFileSync(`${f}.csv`, CSV_LINES),
    args: (f) => ['import', f, `${f}.csv`, '--sheet', '001'],
  },
  validate: { writes: true, state: 'draft', args: (f) => ['validate', f], exit: 1 },
  allocate: { writes: true, state: 'draft', args: (f) => ['allocate', f] },
  submit: {
    writes: true,
    state: 'draft',
    args: (f) => ['submit', f, '--site', '001', '--as', PEOPLE.builder],
  },
  approve: {
    writes: true,
    state: 'submitted',
    args: (f) => ['approve', f, '--site', '001', '--as', PEOPLE.approver],
  },
  return: {
    writes: true,
    state: 'submitted',
    args: (f) => ['return', f, '--site', '001', '--as', PEOPLE.approver, '--comment', 'fix it'],
  },
  reopen: {
    writes: true,
    state: 'approved',
    args: (f) => ['reopen', f, '--site', '001', '--as', PEOPLE.cfo, '--comment', 'again'],
  },
  adopt: {
    writes: true,
    state: 'approved',
    args: (f) => ['adopt', f, '--date', '2026-06-18', '--resolution', '2026-14', '--as', PEOPLE.cfo],
  },
  amend: {
    writes: true,
    state: 'adopted',
    args: (f) => [
      'amend',
      f,
      '--id',
      'A-1',
      '--add',
      '--site',
      '001',
      '--account',
      '100-1000-610-100-001',
      '--amount',
      '150.00',
      '--reason',
      'more paper',
      '--as',
      PEOPLE.cfo,
    ],
  },
  consolidate: { writes: true, state: 'approved', args: (f) => ['consolidate', f, '--as', PEOPLE.cfo] },
  export: {
    writes: false,
    state: 'approved',
    args: (f) => ['export', f, '--format', 'generic-csv', '--out', `${f}.csv`, '--as', PEOPLE.cfo],
  },
  verify: { writes: false, state: 'approved', args: (f) => ['verify', f, '--as', PEOPLE.cfo] },
  status: { writes: false, state: 'approved', args: (f) => ['status', f] },
  projection: { writes: false, state: 'approved', args: (f) => ['projection', f] },
  report: {
    writes: true,
    state: 'approved',
    args: (f) => ['report', f, '--save', '--xlsx', `${f}.report.xlsx`, '--as', PEOPLE.cfo],
  },
  proposals: { writes: false, state: 'approved', args: (f) => ['proposals', f] },
  decide: {
    writes: true,
    state: 'draft',
    setup: (f) => must(proposal(f, 'P-1')),
    args: (f) => ['decide', f, '--proposal', 'P-1', '--reject', '--reason', 'not now', '--as', PEOPLE.cfo],
  },
  propose: { writes: true, state: 'draft', args: (f) => proposal(f, 'P-2') },
  scenarios: {
    writes: true,
    state: 'approved',
    args: (f) => ['scenarios', f, '--adopt', 'Lean', '--reason', 'fewer students', '--as', PEOPLE.cfo],
  },
  actuals: {
    writes: true,
    state: 'approved',
    setup: async (f) => writeFileSync(`${f}.actuals.csv`, CSV_ACTUALS),
    args: (f) => ['actuals', f, `${f}.actuals.csv`, '--as-of', '2027-03-31'],
  },
  forecast: {
    writes: false,
    state: 'approved',
    setup: async (f) => {
      writeFileSync(`${f}.actuals.csv`, CSV_ACTUALS);
      await must(['actuals', f, `${f}.actuals.csv`, '--as-of', '2027-03-31']);
    },
    args: (f) => ['forecast', f],
  },
  'roll-forward': {
    writes: false,
    state: 'approved',
    args: (f) => ['roll-forward', f, '--out', `${f}.next.xlsx`],
  },
  demo: 'opens no workbook',
};

/** Is the lock beside `file` held by this process right now? */
function lockedByMe(file: string): boolean {
  try {
    return (JSON.parse(readFileSync(`${file}.lock`, 'utf8')) as { pid: number }).pid === process.pid;
  } catch {
    return false;
  }
}

/** Runs `args` with every write landing on `file` caught: whether the lock was held at that moment. */
async function watched(
  file: string,
  args: string[],
): Promise<{ code: number | null; out: string; writes: boolean[] }> {
  const target = resolve(file);
  const writes: boolean[] = [];
  const rename = fsp.rename.bind(fsp);
  const writeFile = fsp.writeFile.bind(fsp);
  const copyFile = fsp.copyFile.bind(fsp);
  const onto = (p: unknown): boolean => typeof p === 'string' && resolve(p) === target;
  const spies = [
    jest.spyOn(fsp, 'rename').mockImplementation(async (from, to) => {
      if (onto(to)) writes.push(lockedByMe(file));
      return rename(from, to);
    }),
    jest.spyOn(fsp, 'writeFile').mockImplementation(async (p, ...rest) => {
      if (onto(p)) writes.push(lockedByMe(file));
      return writeFile(p, ...rest);
    }),
    jest.spyOn(fsp, 'copyFile').mockImplementation(async (from, to, mode) => {
      if (onto(to)) writes.push(lockedByMe(file));
      return copyFile(from, to, mode);
    }),
  ];
  try {
    const r = await runCli(args);
    return { code: r.code, out: r.stdout + r.stderr, writes };
  } finally {
    for (const s of spies) s.mockRestore();
  }
}

const COMMANDS = buildProgram(() => undefined)
  .commands.map((c) => c.name())
  .sort();

describe('every command that writes the workbook takes its lock', () => {
  it('has an invocation for every command of the program (a new command must be added here)', () => {
    expect(Object.keys(INVOCATIONS).sort()).toEqual(COMMANDS);
  });

  const runs = Object.entries(INVOCATIONS).filter((e): e is [string, Invocation] => typeof e[1] !== 'string');
  it.each(runs)('%s', async (_name, inv) => {
    const file = await workbook(inv.state);
    if (inv.setup) await inv.setup(file);
    const before = readFileSync(file);
    const r = await watched(file, inv.args(file));
    if (r.code !== (inv.exit ?? 0)) throw new Error(`exit ${r.code}:\n${r.out}`);
    if (inv.writes) {
      expect(r.writes.length).toBeGreaterThan(0);
      expect(r.writes).not.toContain(false);
    } else {
      expect(r.writes).toEqual([]);
      expect(readFileSync(file).equals(before)).toBe(true);
    }
    // The lock is gone once the command ends.
    await expect(fsp.stat(`${file}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

async function auditOf(file: string): Promise<{ actions: string[]; broken: number }> {
  const port: WorkbookPort = await XlsxPort.open(file, { readOnly: true });
  const snap = await port.read({ sheets: [SHEETS.audit], state: true });
  const log = readAuditLog(snap.sheets[SHEETS.audit]).entries;
  return {
    actions: log.map((e) => `${e.action} ${e.site}`),
    broken: verifyAuditLog(log, snap.state?.lastAuditHash).length,
  };
}

describe('decide races other writers and every step lands', () => {
  it('in process: decide and propose at the same moment both land, one after the other (run 3 times)', async () => {
    for (let round = 0; round < 3; round++) {
      const file = await workbook('draft');
      await must(proposal(file, 'P-1'));
      const before = (await auditOf(file)).actions.length;
      const [d, p] = await Promise.all([
        runCli(['decide', file, '--proposal', 'P-1', '--defer', '--reason', 'next year', '--as', PEOPLE.cfo]),
        runCli(proposal(file, 'P-2')),
      ]);
      expect([d.code, p.code]).toEqual([0, 0]);
      const after = await auditOf(file);
      expect(after.broken).toBe(0);
      expect(after.actions.slice(before).sort()).toEqual(['decide Proposal P-1', 'propose Proposal P-2']);
    }
  });

  it('two real processes: two decisions on one proposal at the same moment both land in turn', async () => {
    const file = await workbook('draft');
    await must(proposal(file, 'P-1'));
    await must(proposal(file, 'P-2'));
    const before = (await auditOf(file)).actions.length;
    const [a, b] = await Promise.all([
      spawnCli(['decide', file, '--proposal', 'P-1', '--reject', '--reason', 'no room', '--as', PEOPLE.cfo]),
      spawnCli(['decide', file, '--proposal', 'P-2', '--defer', '--reason', 'next year', '--as', PEOPLE.cfo]),
    ]);
    expect([a.code, a.stderr, b.code, b.stderr]).toEqual([0, '', 0, '']);
    const after = await auditOf(file);
    expect(after.broken).toBe(0);
    expect(after.actions.slice(before).sort()).toEqual(['decide Proposal P-1', 'decide Proposal P-2']);
    // Both receipts were kept, and the chain matches them.
    const v = await runCli(['verify', file, '--as', PEOPLE.cfo, '--receipts', `${file}.receipts.jsonl`]);
    expect([v.code, v.stdout]).toEqual([0, expect.not.stringMatching(/BL629|BL630/)]);
  });
});
