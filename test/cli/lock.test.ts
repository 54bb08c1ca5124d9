/**
 * The workbook lock: concurrent commands both land (one waits for the other), a stale lock is
 * recovered, a change on disk between read and write is refused and nothing is written.
 */
import { execFileSync } from 'node:child_process';
import fsp from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadRequest, Snapshot, WorkbookPort, WriteBatch } from '../../core';
import { ChangedBySomeoneElse, lockWorkbook, withWorkbookLock } from '../../cli/lock';

// Many commands queue on one lock: on a loaded machine this takes longer than jest's default 5 s.
jest.setTimeout(120_000);

let dir: string;
beforeEach(async () => {
  dir = await fsp.mkdtemp(join(tmpdir(), 'bl-lock-'));
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

/** A port over a text file holding a number: read gives it, write replaces the file (temp + rename). */
class CounterPort implements WorkbookPort {
  private value = 0;
  constructor(private readonly file: string) {}
  static async open(file: string): Promise<CounterPort> {
    const p = new CounterPort(file);
    p.value = Number(await fsp.readFile(file, 'utf8'));
    return p;
  }
  read(_r: ReadRequest): Promise<Snapshot> {
    return Promise.resolve({ sheetNames: [], sheets: { n: [[this.value]] }, windows: [] });
  }
  async write(batch: WriteBatch): Promise<void> {
    const v = batch.sheets?.[0]?.values[0]?.[0];
    const tmp = `${this.file}.${Math.random()}.tmp`;
    await fsp.writeFile(tmp, String(v));
    await fsp.rename(tmp, this.file);
  }
}

async function increment(file: string): Promise<void> {
  await withWorkbookLock(
    file,
    () => CounterPort.open(file),
    async (port) => {
      const snap = await port.read({});
      const n = Number(snap.sheets.n?.[0]?.[0]);
      await new Promise((r) => setTimeout(r, Math.random() * 3));
      await port.write({ sheets: [{ sheet: 'n', values: [[n + 1]] }] });
    },
    { pollMs: 2 },
  );
}

describe('the workbook lock', () => {
  it('lets concurrent commands all land, one after another (run 5 times, 20 at once)', async () => {
    const file = join(dir, 'w.xlsx');
    for (let round = 0; round < 5; round++) {
      await fsp.writeFile(file, '0');
      await Promise.all(Array.from({ length: 20 }, () => increment(file)));
      expect(await fsp.readFile(file, 'utf8')).toBe('20');
      await expect(fsp.stat(`${file}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
    }
  });

  it('recovers a lock left by a process that is gone', async () => {
    const file = join(dir, 'w.xlsx');
    await fsp.writeFile(file, '0');
    const pid = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']));
    await fsp.writeFile(
      `${file}.lock`,
      JSON.stringify({
        pid,
        host: hostname(),
        at: '2026-01-01T00:00:00Z',
        token: 'x',
      }),
    );
    await increment(file);
    expect(await fsp.readFile(file, 'utf8')).toBe('1');
  });

  it('recovers a lock older than the stale age, and waits for a live one, then refuses naming it', async () => {
    const file = join(dir, 'w.xlsx');
    await fsp.writeFile(file, '0');
    const held = await lockWorkbook(file);
    await expect(lockWorkbook(file, { waitMs: 50, pollMs: 5 })).rejects.toThrow(
      /is in use by another Budgetline command \(process \d+ on .+\); nothing was changed/,
    );
    const again = await lockWorkbook(file, { staleMs: 0, pollMs: 5 });
    await held.release(); // no longer ours: leaves the new holder's lock alone
    await expect(fsp.stat(`${file}.lock`)).resolves.toBeDefined();
    await again.release();
    await expect(fsp.stat(`${file}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses to write when the file changed on disk after it was read, and writes nothing', async () => {
    const file = join(dir, 'w.xlsx');
    await fsp.writeFile(file, '5');
    await expect(
      withWorkbookLock(
        file,
        () => CounterPort.open(file),
        async (port) => {
          await port.read({});
          // Another program (one that takes no lock) saves the file meanwhile.
          await fsp.writeFile(`${file}.other`, '100');
          await fsp.rename(`${file}.other`, file);
          await port.write({ sheets: [{ sheet: 'n', values: [[6]] }] });
        },
      ),
    ).rejects.toThrow(ChangedBySomeoneElse);
    expect(await fsp.readFile(file, 'utf8')).toBe('100');
    await expect(fsp.stat(`${file}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
