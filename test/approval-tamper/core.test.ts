/**
 * The tamper corpus, in the core (MemoryPort, every host's operations): each case is an edit to an
 * approved district workbook, a command, the expected refusal or finding, and — where nothing should
 * be written — the workbook unchanged. The cases follow issue 11's list of what an auditor found.
 */
import {
  MemoryPort,
  SHEETS,
  SITE_HEADER,
  GENESIS_HASH,
  auditRow,
  makeEntry,
  operations,
  receiptForEntry,
  readAuditLog,
  type CellValue,
  type DocumentState,
  type OperationOptions,
  type OperationResult,
  type PortUser,
  type Receipt,
} from '../../core';
import { seedDistrict } from '../fixtures/district';
import { exec } from './run';

const CFO: PortUser = { email: 'cfo@district.k12.us', verified: true };
const BUILDER: PortUser = { email: 'principal@district.k12.us', verified: true };
const APPROVER: PortUser = { email: 'approver@district.k12.us', verified: true };
const OTHER: PortUser = { email: 'other.approver@district.k12.us', verified: true };

let clock = 0;
const options: OperationOptions = {
  now: () => new Date(Date.UTC(2026, 10, 28, 9, 30, clock++)).toISOString(),
};

const row = (o: Partial<Record<(typeof SITE_HEADER)[number], CellValue>>): CellValue[] =>
  SITE_HEADER.map((h) => o[h] ?? null);

const LINCOLN: CellValue[][] = [
  [...SITE_HEADER],
  row({ Type: 'Line', Account: '100-1000-610-100-001', Description: 'Classroom supplies', Amount: 3500 }),
  row({ Type: 'Line', Account: '100-2220-640-100-001', Description: 'Library books', Amount: 450 }),
  row({ Type: 'Position', 'Job type': 'TCH', Employee: 'Ortiz', FTE: 1, Account: '100-1000-111-100-001' }),
];
const WASHINGTON: CellValue[][] = [
  [...SITE_HEADER],
  row({ Type: 'Line', Account: '100-1000-610-100-002', Description: 'Paper', Amount: 5_080_000 }),
];

/** Lincoln (001) approved, Washington (002) a draft; the receipts of the two steps. */
async function approvedDistrict(): Promise<{ port: MemoryPort; receipts: Receipt[] }> {
  const port = new MemoryPort({ user: CFO });
  const created = await exec(
    port,
    operations.createWorkbook,
    {
      preset: 'nces',
      fiscalYear: 2027,
      district: 'Springfield USD',
    },
    options,
  );
  expect(created.ok).toBe(true);
  seedDistrict(port, { cfo: CFO.email, builder: BUILDER.email, approver: APPROVER.email });
  port.setSheet(SHEETS.sites, [
    ...(port.sheet(SHEETS.sites) ?? []),
    ['002', 'Washington Middle', '', 600, 'middle', 'No'],
  ]);
  port.setSheet(SHEETS.roles, [
    ...(port.sheet(SHEETS.roles) ?? []),
    [BUILDER.email, 'builder', '002'],
    [APPROVER.email, 'approver', '002'],
    [OTHER.email, 'approver', '001'],
  ]);
  port.setSheet('Lincoln Elementary', LINCOLN);
  port.setSheet('Washington Middle', WASHINGTON);
  port.user = BUILDER;
  const s = await exec(port, operations.submit, { site: '001' }, options);
  expect(s.ok).toBe(true);
  port.user = APPROVER;
  const a = await exec(port, operations.approve, { site: '001' }, options);
  expect(a.ok).toBe(true);
  port.user = CFO;
  const log = readAuditLog(port.sheet(SHEETS.audit)).entries;
  return { port, receipts: log.map((e, i) => receiptForEntry(e, i + 1)) };
}

function picture(port: MemoryPort): string {
  return JSON.stringify({
    sheets: port.sheetNames().map((n) => [n, port.sheet(n)]),
    state: port.state,
    marks: port.marks(),
    protected: port.protectedSheets(),
  });
}

type Command =
  | 'verify'
  | 'verify with receipts'
  | 'consolidate'
  | 'consolidate all'
  | 'export'
  | 'approve 002'
  | 'submit 002'
  | 'approve 001';

async function command(port: MemoryPort, c: Command, receipts: Receipt[]): Promise<OperationResult> {
  switch (c) {
    case 'verify':
      return exec(port, operations.verify, {}, options);
    case 'verify with receipts':
      return exec(port, operations.verify, { receipts }, options);
    case 'consolidate':
      return exec(port, operations.consolidate, { unapproved: 'exclude' }, options);
    case 'consolidate all':
      return exec(port, operations.consolidate, { unapproved: 'include-marked' }, options);
    case 'export':
      return exec(port, operations.exportBudget, { format: 'generic-csv' }, options);
    case 'approve 002':
    case 'approve 001':
      return exec(port, operations.approve, { site: c.slice(-3) }, options);
    case 'submit 002':
      return exec(port, operations.submit, { site: '002' }, options);
  }
}

interface Case {
  readonly name: string;
  readonly edit: (port: MemoryPort) => void | Promise<void>;
  readonly command: Command;
  /** Who runs the command (default the CFO). */
  readonly as?: PortUser;
  /** Codes that must all be among the findings. */
  readonly finds: readonly string[];
  /** Text one of the findings must hold (a wrapped finding's code). */
  readonly mentions?: string;
  /** Refused (or, for verify, not intact): ok false. */
  readonly refused: boolean;
  /** The workbook must be exactly as before the command. */
  readonly unchanged: boolean;
}

const state = (port: MemoryPort): DocumentState => port.state;

function requireVerified(port: MemoryPort): void {
  const setup = port.sheet(SHEETS.setup) ?? [];
  port.setSheet(
    SHEETS.setup,
    setup.map((r) => (r[0] === 'Approvals need verified identity' ? [r[0], 'yes'] : r)),
  );
}

const CASES: Case[] = [
  {
    name: 'an approved amount changed on the site sheet → consolidate refuses, listing the cell',
    edit: (p) => p.setCell('Lincoln Elementary', 'F2', 3600),
    command: 'consolidate',
    finds: ['BL612', 'BL615'],
    refused: true,
    unchanged: true,
  },
  {
    name: 'an approved amount changed on the site sheet → export refuses',
    edit: (p) => p.setCell('Lincoln Elementary', 'F2', 3600),
    command: 'export',
    finds: ['BL612', 'BL615'],
    refused: true,
    unchanged: true,
  },
  {
    name: 'a site marked approved only in the stored state → export refuses',
    edit: (p) => {
      p.state = {
        ...state(p),
        sites: { ...state(p).sites, '002': { site: '002', state: 'approved', approvedBy: APPROVER.email } },
      };
    },
    command: 'export',
    finds: ['BL620'],
    refused: true,
    unchanged: true,
  },
  {
    name: 'a site marked approved only in the stored state → verify says so',
    edit: (p) => {
      p.state = {
        ...state(p),
        sites: { ...state(p).sites, '002': { site: '002', state: 'approved', approvedBy: APPROVER.email } },
      };
    },
    command: 'verify',
    finds: ['BL620'],
    refused: true,
    unchanged: true,
  },
  {
    name: 'submittedBy edited in the stored state so the submitter can approve → approve refused (chain wins)',
    edit: async (p) => {
      p.user = BUILDER;
      expect((await exec(p, operations.submit, { site: '002' }, options)).ok).toBe(true);
      p.setSheet(SHEETS.roles, [...(p.sheet(SHEETS.roles) ?? []), [BUILDER.email, 'approver', '002']]);
      p.state = {
        ...state(p),
        sites: { ...state(p).sites, '002': { ...state(p).sites['002']!, submittedBy: OTHER.email } },
      };
    },
    command: 'approve 002',
    as: BUILDER,
    finds: ['BL603', 'BL625'],
    refused: true,
    unchanged: true,
  },
  {
    name: 'an approved line whose object code is deactivated in Codes → export refuses, naming the line',
    edit: (p) => {
      const codes = p.sheet(SHEETS.codes) ?? [];
      p.setSheet(
        SHEETS.codes,
        codes.filter(
          (r, i) => i === 0 || !(String(r[0]).toLowerCase() === 'object' && String(r[1]) === '640'),
        ),
      );
    },
    command: 'export',
    finds: ['BL621'],
    refused: true,
    unchanged: true,
  },
  {
    name: 'an approved line whose account is edited to an invalid one → consolidate refuses',
    edit: (p) => p.setCell('Lincoln Elementary', 'B3', '100-2220-999-100-001'),
    command: 'consolidate',
    finds: ['BL621'],
    refused: true,
    unchanged: true,
  },
  {
    name: 'Approved Lines edited → verify',
    edit: (p) => {
      const g = p.sheet(SHEETS.approved) ?? [];
      p.setSheet(
        SHEETS.approved,
        g.map((r, i) => (i === 1 ? [r[0], r[1], r[2], Number(r[3]) + 100, r[4], r[5]] : r)),
      );
    },
    command: 'verify',
    finds: ['BL622'],
    refused: true,
    unchanged: true,
  },
  {
    name: 'an approved site removed from Sites → verify',
    edit: (p) =>
      p.setSheet(
        SHEETS.sites,
        (p.sheet(SHEETS.sites) ?? []).filter((r) => r[0] !== '001'),
      ),
    command: 'verify',
    finds: ['BL623'],
    refused: true,
    unchanged: true,
  },
  {
    name: 'the Audit sheet and the stored state both deleted → verify (never "intact")',
    edit: (p) => {
      p.deleteSheet(SHEETS.audit);
      p.state = { version: 1, sites: {}, lastAuditHash: '0'.repeat(64) };
    },
    command: 'verify',
    finds: ['BL628'],
    refused: true,
    unchanged: true,
  },
  {
    name: 'Setup deleted → verify names the missing sheet once',
    edit: (p) => p.deleteSheet(SHEETS.setup),
    command: 'verify',
    finds: ['BL628'],
    refused: true,
    unchanged: true,
  },
  {
    name: 'the last audit entry deleted → verify',
    edit: (p) => p.setSheet(SHEETS.audit, (p.sheet(SHEETS.audit) ?? []).slice(0, -1)),
    command: 'verify',
    finds: ['BL618'],
    refused: true,
    unchanged: true,
  },
  {
    name: 'an audit row altered → export refuses',
    edit: (p) => p.setCell(SHEETS.audit, 'D3', 'someone.else@district.k12.us'),
    command: 'export',
    finds: ['BL616'],
    refused: true,
    unchanged: true,
  },
  {
    name: 'a builder of the site given the approver role approves → refused',
    edit: (p) =>
      p.setSheet(SHEETS.roles, [...(p.sheet(SHEETS.roles) ?? []), [BUILDER.email, 'approver', '002']]),
    command: 'approve 002',
    as: BUILDER,
    finds: ['BL601', 'BL625'],
    refused: true,
    unchanged: true,
  },
  {
    name: 'Setup "Approvals need verified identity" = yes: a self-declared CFO cannot consolidate',
    edit: (p) => requireVerified(p),
    command: 'consolidate',
    as: { ...CFO, verified: false },
    finds: ['BL632'],
    refused: true,
    unchanged: true,
  },
  {
    name: 'Setup "Approvals need verified identity" = yes: a self-declared CFO cannot export',
    edit: (p) => requireVerified(p),
    command: 'export',
    as: { ...CFO, verified: false },
    finds: ['BL632'],
    refused: true,
    unchanged: true,
  },
  {
    name: 'Setup "Approvals need verified identity" = yes: a self-declared approver cannot approve',
    edit: async (p) => {
      p.user = BUILDER;
      expect((await exec(p, operations.submit, { site: '002' }, options)).ok).toBe(true);
      requireVerified(p);
    },
    command: 'approve 002',
    as: { ...APPROVER, verified: false },
    finds: ['BL632'],
    refused: true,
    unchanged: true,
  },
  {
    name: 'a 100,000-character description → submit refused on its cell',
    edit: (p) => p.setCell('Washington Middle', 'C2', 'x'.repeat(100_000)),
    command: 'submit 002',
    as: BUILDER,
    finds: ['BL605'],
    mentions: 'BL013',
    refused: true,
    unchanged: true,
  },
  {
    name: 'lines adding up past 2^53 cents → submit refused, never a rounded total',
    edit: (p) =>
      p.setSheet('Washington Middle', [
        ...WASHINGTON,
        row({
          Type: 'Line',
          Account: '100-1000-610-100-002',
          Description: 'Big',
          Amount: 90_000_000_000_000,
        }),
        row({
          Type: 'Line',
          Account: '100-1000-610-100-002',
          Description: 'Bigger',
          Amount: 90_000_000_000_000,
        }),
      ]),
    command: 'submit 002',
    as: BUILDER,
    finds: ['BL634'],
    refused: true,
    unchanged: true,
  },
  {
    name: 'lines past 2^53 cents in one account, brought back in range by a credit → consolidate refuses (BL634), no internal error',
    edit: (p) =>
      p.setSheet('Washington Middle', [
        ...WASHINGTON,
        row({
          Type: 'Line',
          Account: '100-1000-610-100-002',
          Description: 'Big',
          Amount: 90_000_000_000_000,
        }),
        row({
          Type: 'Line',
          Account: '100-1000-610-100-002',
          Description: 'Big',
          Amount: 90_000_000_000_000,
        }),
        row({
          Type: 'Line',
          Account: '100-1000-610-100-002',
          Description: 'Credit',
          Amount: -90_000_000_000_000,
        }),
      ]),
    command: 'consolidate all',
    finds: ['BL634'],
    refused: true,
    unchanged: true,
  },
];

describe('tamper corpus (core, MemoryPort)', () => {
  it('an untouched approved district verifies, consolidates and exports', async () => {
    const { port, receipts } = await approvedDistrict();
    const v = await exec(port, operations.verify, { receipts }, options);
    expect(v.diagnostics).toEqual([]);
    expect(v.ok).toBe(true);
    expect((await exec(port, operations.consolidate, { unapproved: 'exclude' }, options)).ok).toBe(true);
    expect((await exec(port, operations.exportBudget, { format: 'generic-csv' }, options)).ok).toBe(true);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const { port, receipts } = await approvedDistrict();
    await c.edit(port);
    port.user = c.as ?? CFO;
    const before = picture(port);
    port.resetCounts();
    const r = await command(port, c.command, receipts);
    for (const code of c.finds) expect(r.diagnostics.map((d) => d.code)).toContain(code);
    if (c.mentions) expect(r.diagnostics.map((d) => d.message).join('\n')).toContain(c.mentions);
    expect(r.ok).toBe(!c.refused);
    if (c.unchanged) {
      expect(port.roundTrips.writes).toBe(0);
      expect(picture(port)).toBe(before);
    }
  });

  it('the whole chain rewritten and recomputed: found with receipts, not without (the documented limit)', async () => {
    const { port, receipts } = await approvedDistrict();
    // Rewrite: the approval is re-recorded as OTHER's, every hash recomputed, the stored last hash too.
    const log = readAuditLog(port.sheet(SHEETS.audit)).entries;
    let prev = GENESIS_HASH;
    const forged = log.map((e) => {
      const { hash: _h, prevHash: _p, ...f } = e;
      const n = makeEntry({ ...f, actor: e.action === 'approve' ? OTHER.email : e.actor, prevHash: prev });
      prev = n.hash;
      return n;
    });
    port.setSheet(SHEETS.audit, [(port.sheet(SHEETS.audit) ?? [])[0] ?? [], ...forged.map(auditRow)]);
    port.state = {
      ...port.state,
      lastAuditHash: prev,
      sites: { ...port.state.sites, '001': { ...port.state.sites['001']!, approvedBy: OTHER.email } },
    };
    const without = await exec(port, operations.verify, {}, options);
    expect(without.diagnostics.filter((d) => d.severity === 'fatal')).toEqual([]);
    const withReceipts = await exec(port, operations.verify, { receipts }, options);
    expect(withReceipts.ok).toBe(false);
    expect(withReceipts.diagnostics.map((d) => d.code)).toEqual(['BL629']);
  });

  it('the chain truncated and the stored state rewritten to match: found with receipts', async () => {
    const { port, receipts } = await approvedDistrict();
    const audit = port.sheet(SHEETS.audit) ?? [];
    port.setSheet(SHEETS.audit, audit.slice(0, 2));
    const log = readAuditLog(port.sheet(SHEETS.audit)).entries;
    port.state = {
      version: 1,
      lastAuditHash: log[0]!.hash,
      sites: { '001': { site: '001', state: 'submitted', submittedBy: BUILDER.email } },
    };
    port.setSheet(SHEETS.approved, [(port.sheet(SHEETS.approved) ?? [])[0] ?? []]);
    const r = await exec(port, operations.verify, { receipts }, options);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['BL630']);
  });

  it('a new workbook with no approvals: verify warns "no approvals recorded", never "intact"', async () => {
    const port = new MemoryPort({ user: CFO });
    await exec(port, operations.createWorkbook, { preset: 'nces', fiscalYear: 2027, district: 'X' }, options);
    const v = await exec(port, operations.verify, {}, options);
    expect(v.diagnostics.map((d) => d.code)).toEqual(['BL627']);
    expect(v.summary).toMatch(/^No approvals recorded/);
    expect(v.summary).not.toMatch(/intact/);
  });

  it('self-declared steps are listed by verify and in the Master Budget when identity is not required', async () => {
    const { port } = await approvedDistrict();
    port.user = { ...BUILDER, verified: false };
    expect((await exec(port, operations.submit, { site: '002' }, options)).ok).toBe(true);
    port.user = CFO;
    const v = await exec(port, operations.verify, {}, options);
    expect(v.diagnostics.map((d) => d.code)).toEqual(['BL633']);
    expect(v.ok).toBe(true);
    const c = await exec(port, operations.consolidate, { unapproved: 'exclude' }, options);
    expect(c.ok).toBe(true);
    const master = port.sheet(SHEETS.master) ?? [];
    const at = master.findIndex((r) => String(r[0]).startsWith('Self-declared steps (1)'));
    expect(at).toBeGreaterThan(0);
    expect(master[at + 2]?.slice(0, 5)).toEqual([3, expect.any(String), '002', 'submit', BUILDER.email]);
  });

  it('workflow steps and district steps return receipts that check against the chain', async () => {
    const { port } = await approvedDistrict();
    port.user = CFO;
    const c = await exec(port, operations.consolidate, { unapproved: 'exclude' }, options);
    const e = await exec(port, operations.exportBudget, { format: 'generic-csv' }, options);
    const re = await exec(port, operations.reopen, { site: '001', comment: 'fix supplies' }, options);
    const receipts = [c, e, re].flatMap((x) => x.receipts ?? []);
    expect(receipts.map((x) => x.action)).toEqual(['consolidate', 'export', 'reopen']);
    const v = await exec(port, operations.verify, { receipts }, options);
    expect(v.diagnostics.filter((d) => d.severity === 'fatal')).toEqual([]);
  });
});
