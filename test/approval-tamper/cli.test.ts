/**
 * The tamper corpus on the command line (.xlsx files): each case an edit made the way a person would
 * (ExcelJS on the file, or a plain file operation), a command, the expected exit status and finding,
 * and the file's bytes unchanged where nothing should be written. Commands run in process through
 * main(argv), concurrently where the case is a race; one race runs as two real processes.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { Package } from '../../cli/xlsx/package';
import {
  GENESIS_HASH,
  SHEETS,
  auditRow,
  makeEntry,
  readAuditLog,
  readWorkbook,
  replayChain,
  type CellValue,
} from '../../core';
import { runDemo, type DemoRun } from '../../cli/demo/run';
import { main } from '../../cli/index';
import { XlsxPort } from '../../cli/xlsx-port';
import { runCli, tempDir } from '../cli/helpers';

jest.setTimeout(300_000);

let dir: string;
let cleanup: () => void;
let demo: DemoRun;
let n = 0;
const copy = (): string => {
  const f = join(dir, `copy-${++n}.xlsx`);
  copyFileSync(demo.workbook, f);
  copyFileSync(`${demo.workbook}.receipts.jsonl`, `${f}.receipts.jsonl`);
  return f;
};

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('budgetline-tamper-'));
  demo = await runDemo(join(dir, 'demo'), { schools: 4, seed: 7 }, { now: () => new Date().toISOString() });
});
afterAll(() => cleanup());

/** Runs the command line in process; stdout and stderr captured. */
async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  try {
    const code = await main(['node', 'budgetline', ...args]);
    return { code, out };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/** Several command lines at the same moment in process: their exit statuses, and all output together. */
async function concurrently(...runs: string[][]): Promise<{ codes: number[]; out: string }> {
  let out = '';
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  try {
    const codes = await Promise.all(runs.map((args) => main(['node', 'budgetline', ...args])));
    return { codes, out };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

async function states(file: string): Promise<Record<string, string>> {
  const snap = await (await XlsxPort.open(file)).read({ sheets: 'all', state: true });
  const replay = replayChain(readAuditLog(snap.sheets[SHEETS.audit]).entries);
  return Object.fromEntries(
    readWorkbook(snap).sites.map((s) => [s.code, replay.sites.get(s.code)?.state ?? 'draft']),
  );
}

/** Edits the file as a person would in Excel (ExcelJS), keeping everything else. */
async function edit(file: string, fn: (wb: ExcelJS.Workbook) => void): Promise<void> {
  // ExcelJS expands each data-validation range cell by cell, and the site sheets' rules run down the
  // whole column (row 2 to 1,048,576): it would run out of time and memory. The hand edit drops them.
  const pkg = await Package.read(readFileSync(file));
  for (const name of pkg.names())
    if (/^xl\/worksheets\/[^/]+\.xml$/.test(name))
      pkg.set(
        name,
        (pkg.text(name) ?? '').replace(/<(\w+:)?dataValidations\b[\s\S]*?<\/(\w+:)?dataValidations>/, ''),
      );
  writeFileSync(file, pkg.toBuffer());
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  fn(wb);
  await wb.xlsx.writeFile(file);
}

const approvedSite = async (file: string): Promise<{ code: string; sheet: string }> => {
  const snap = await (await XlsxPort.open(file)).read({ sheets: 'all', state: true });
  const wb = readWorkbook(snap);
  const st = await states(file);
  const s = wb.sites.find((x) => st[x.code] === 'approved');
  if (!s) throw new Error('the demo has no approved site');
  return { code: s.code, sheet: s.sheet };
};

const CFO = (): string => demo.district.people.cfo;

describe('tamper corpus (command line)', () => {
  it('an approved amount changed on the site sheet: consolidate and export refuse, exit 1, file unchanged', async () => {
    const file = copy();
    const site = await approvedSite(file);
    await edit(file, (wb) => {
      const ws = wb.getWorksheet(site.sheet)!;
      const header = (ws.getRow(1).values as unknown[]).map(String);
      const col = header.indexOf('Amount');
      for (let r = 2; r <= ws.rowCount; r++) {
        const c = ws.getRow(r).getCell(col);
        if (typeof c.value === 'number') {
          c.value = c.value + 1000;
          break;
        }
      }
    });
    const bytes = readFileSync(file);
    const c = await cli('consolidate', file, '--as', CFO());
    expect(c.code).toBe(1);
    expect(c.out).toMatch(/BL612/);
    expect(c.out).toMatch(/BL615/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    const out = join(dir, `export-${n}.csv`);
    const e = await cli('export', file, '--format', 'generic-csv', '--out', out, '--as', CFO());
    expect(e.code).toBe(1);
    expect(e.out).toMatch(/Nothing was exported/);
    expect(() => readFileSync(out)).toThrow();
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('a submitted amount changed before approval: approve refuses (BL635, BL636), exit 1, file unchanged; return works', async () => {
    const file = copy();
    const site = await approvedSite(file);
    const principal = demo.district.sites.find((s) => s.code === site.code)!.principal;
    const approver = demo.district.people.approver;
    expect((await cli('reopen', file, '--site', site.code, '--as', CFO(), '--comment', 'again')).code).toBe(
      0,
    );
    expect((await cli('submit', file, '--site', site.code, '--as', principal)).code).toBe(0);
    await edit(file, (wb) => {
      const ws = wb.getWorksheet(site.sheet)!;
      const col = (ws.getRow(1).values as unknown[]).map(String).indexOf('Amount');
      for (let r = 2; r <= ws.rowCount; r++) {
        const c = ws.getRow(r).getCell(col);
        if (typeof c.value === 'number') {
          c.value = c.value + 1000;
          break;
        }
      }
    });
    const bytes = readFileSync(file);
    const a = await cli('approve', file, '--site', site.code, '--as', approver);
    expect(a.code).toBe(1);
    expect(a.out).toMatch(/BL635 .*changed after .* submitted it on/);
    expect(a.out).toMatch(new RegExp(`${site.sheet}!B\\d+ +BL636 .* is now `));
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect((await states(file))[site.code]).toBe('submitted');
    const r = await cli('return', file, '--site', site.code, '--as', approver, '--comment', 'resubmit');
    expect(r.code).toBe(0);
  });

  it('an approval of other content than its submission, in a rewritten chain: verify flags it (BL637), consolidate refuses the site', async () => {
    const file = copy();
    const site = await approvedSite(file);
    const port = await XlsxPort.open(file);
    const snap = await port.read({ sheets: [SHEETS.audit], state: true });
    const log = readAuditLog(snap.sheets[SHEETS.audit]).entries;
    // The site's last submission is rewritten to another content hash (and the chain recomputed),
    // as an approval taken before approve compared the two would stand.
    const lastSubmit = log.map((e) => e.site === site.code && e.action === 'submit').lastIndexOf(true);
    let prev = GENESIS_HASH;
    const forged = log.map((e, i) => {
      const { hash: _h, prevHash: _p, ...f } = e;
      const x = makeEntry({
        ...f,
        ...(i === lastSubmit ? { contentHash: 'f'.repeat(64) } : {}),
        prevHash: prev,
      });
      prev = x.hash;
      return x;
    });
    await port.write({
      sheets: [
        {
          sheet: SHEETS.audit,
          values: [snap.sheets[SHEETS.audit]![0] as CellValue[], ...forged.map(auditRow)],
          replace: true,
        },
      ],
      state: { ...snap.state!, lastAuditHash: prev },
    });
    const v = await cli('verify', file, '--as', CFO());
    expect(v.code).toBe(1);
    expect(v.out).toMatch(
      new RegExp(
        `BL637 audit entry \\d+: .* approved the ${site.code} budget with content hash [0-9a-f]{12}, but it was submitted with ffffffffffff`,
      ),
    );
    const c = await cli('consolidate', file, '--as', CFO());
    expect(c.code).toBe(1);
    expect(c.out).toMatch(/BL637/);
  });

  it('a site marked approved only in the hidden state: export refuses (BL620)', async () => {
    const file = copy();
    const st = await states(file);
    const draft = Object.entries(st).find(([, v]) => v !== 'approved')?.[0];
    expect(draft).toBeDefined();
    // Rewrite the stored state with the port itself (the hidden sheet's own format).
    const port = await XlsxPort.open(file);
    const snap = await port.read({ state: true });
    await port.write({
      state: {
        ...snap.state!,
        sites: { ...snap.state!.sites, [draft!]: { site: draft!, state: 'approved', approvedBy: CFO() } },
      },
    });
    const bytes = readFileSync(file);
    const e = await cli(
      'export',
      file,
      '--format',
      'generic-csv',
      '--out',
      join(dir, `x-${n}.csv`),
      '--as',
      CFO(),
    );
    expect(e.code).toBe(1);
    expect(e.out).toMatch(/BL620/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('the whole chain rewritten: verify --receipts finds it; verify alone cannot (the documented limit)', async () => {
    const file = copy();
    const port = await XlsxPort.open(file);
    const snap = await port.read({ sheets: [SHEETS.audit], state: true });
    const log = readAuditLog(snap.sheets[SHEETS.audit]).entries;
    let prev = GENESIS_HASH;
    const forged = log.map((e) => {
      const { hash: _h, prevHash: _p, ...f } = e;
      const x = makeEntry({
        ...f,
        comment: e.action === 'approve' ? 'Looks fine.' : e.comment,
        prevHash: prev,
      });
      prev = x.hash;
      return x;
    });
    await port.write({
      sheets: [
        {
          sheet: SHEETS.audit,
          values: [snap.sheets[SHEETS.audit]![0] as CellValue[], ...forged.map(auditRow)],
          replace: true,
        },
      ],
      state: { ...snap.state!, lastAuditHash: prev },
    });
    const alone = await cli('verify', file, '--as', CFO());
    expect(alone.code).toBe(0);
    const withReceipts = await cli('verify', file, '--as', CFO(), '--receipts', `${file}.receipts.jsonl`);
    expect(withReceipts.code).toBe(1);
    expect(withReceipts.out).toMatch(/BL629/);
  });

  it('the chain truncated: verify --receipts finds it (BL630)', async () => {
    const file = copy();
    const port = await XlsxPort.open(file);
    const snap = await port.read({ sheets: [SHEETS.audit], state: true });
    const grid = snap.sheets[SHEETS.audit]!;
    const kept = grid.slice(0, 2);
    const last = readAuditLog(kept).entries[0]!;
    await port.write({
      sheets: [{ sheet: SHEETS.audit, values: kept, replace: true }],
      state: { ...snap.state!, lastAuditHash: last.hash },
    });
    const r = await cli('verify', file, '--as', CFO(), '--receipts', `${file}.receipts.jsonl`);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/BL630/);
  });

  it('verify of a zip that is not a workbook, and of a workbook that is not a district workbook, exits 2', async () => {
    const zip = join(dir, 'not-a-workbook.xlsx');
    writeFileSync(zip, Buffer.from('504b0304140000000000', 'hex'));
    expect((await cli('verify', zip, '--as', CFO())).code).toBe(2);
    const other = join(dir, 'other.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Groceries').addRow(['milk', 2]);
    await wb.xlsx.writeFile(other);
    const r = await cli('verify', other, '--as', CFO());
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/not a Budgetline district workbook/);
  });

  it('a formula cell whose saved result may be stale: verify warns on the cell (BL014)', async () => {
    const file = copy();
    const site = await approvedSite(file);
    let where = '';
    await edit(file, (wb) => {
      const ws = wb.getWorksheet(site.sheet)!;
      const header = (ws.getRow(1).values as unknown[]).map(String);
      const col = header.indexOf('Amount');
      for (let r = 2; r <= ws.rowCount; r++) {
        const c = ws.getRow(r).getCell(col);
        if (typeof c.value === 'number') {
          // The same amount, now a formula whose cached result Budgetline cannot recalculate.
          c.value = { formula: `${c.value}*1`, result: c.value };
          where = c.address;
          break;
        }
      }
    });
    const r = await cli('verify', file, '--as', CFO());
    expect(r.out).toContain(`${site.sheet}!${where}  BL014 warning`);
    expect(r.code).toBe(0);
  });

  it('export --out the workbook itself is refused; an existing output needs --force', async () => {
    const file = copy();
    const bytes = readFileSync(file);
    const self = await cli('export', file, '--format', 'generic-csv', '--out', file, '--as', CFO());
    expect(self.code).toBe(2);
    expect(self.out).toMatch(/is the workbook itself/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    const out = join(dir, `existing-${n}.csv`);
    writeFileSync(out, 'keep me');
    const no = await cli('export', file, '--format', 'generic-csv', '--out', out, '--as', CFO());
    expect(no.code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    const yes = await cli('export', file, '--format', 'generic-csv', '--out', out, '--force', '--as', CFO());
    expect(yes.code).toBe(0);
    expect(readFileSync(out, 'utf8')).not.toBe('keep me');
  });

  it('receipts are appended beside the workbook for each step, and verify --receipts passes on an untouched file', async () => {
    const file = copy();
    const before = readFileSync(`${file}.receipts.jsonl`, 'utf8').trim().split('\n').length;
    const site = await approvedSite(file);
    const r = await cli('reopen', file, '--site', site.code, '--as', CFO(), '--comment', 'recheck');
    expect(r.code).toBe(0);
    const after = readFileSync(`${file}.receipts.jsonl`, 'utf8').trim().split('\n');
    expect(after).toHaveLength(before + 1);
    expect(JSON.parse(after[after.length - 1]!)).toMatchObject({ site: site.code, action: 'reopen' });
    expect((await cli('verify', file, '--as', CFO(), '--receipts', `${file}.receipts.jsonl`)).code).toBe(0);
  });

  it('an approve and a return of the same site at the same moment: exactly one lands (run 4 times)', async () => {
    for (let round = 0; round < 4; round++) {
      const file = copy();
      const site = await approvedSite(file);
      const principal = demo.district.sites.find((s) => s.code === site.code)!.principal;
      expect((await cli('reopen', file, '--site', site.code, '--as', CFO(), '--comment', 'again')).code).toBe(
        0,
      );
      expect((await cli('submit', file, '--site', site.code, '--as', principal)).code).toBe(0);
      const reviews = async (): Promise<number> =>
        readAuditLog(
          (await (await XlsxPort.open(file)).read({ sheets: [SHEETS.audit] })).sheets[SHEETS.audit],
        ).entries.filter((e) => e.site === site.code && (e.action === 'approve' || e.action === 'return'))
          .length;
      // The demo's approvals of the site (a school that took an accepted proposal was approved twice).
      const earlier = await reviews();
      const approver = demo.district.people.approver;
      const race = await concurrently(
        ['approve', file, '--site', site.code, '--as', approver],
        ['return', file, '--site', site.code, '--as', approver, '--comment', 'no'],
      );
      expect([...race.codes].sort()).toEqual([0, 1]);
      expect(race.out).toMatch(/BL601/);
      // exactly one of the two
      expect(await reviews()).toBe(earlier + 1);
      expect((await cli('verify', file, '--as', CFO())).code).toBe(0);
    }
  });

  it('two real processes at the same moment: both land, one after the other', async () => {
    const file = copy();
    const [a, b] = await Promise.all([runCli(['validate', file]), runCli(['allocate', file])]);
    expect([a.code, b.code]).not.toContain(2);
    expect(readFileSync(file).length).toBeGreaterThan(0);
    expect((await cli('verify', file, '--as', CFO())).code).toBe(0);
  });
});
