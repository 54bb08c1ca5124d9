/**
 * report <workbook> --out board-packet.pdf [--xlsx report.xlsx] [--save] --as <cfo>: the board
 * packet. The report sheets are written into a new workbook holding only them (the user's workbook
 * is left as it is unless --save), which LibreOffice (`soffice --headless --convert-to pdf`) turns
 * into the PDF in a temporary folder; --out and --xlsx are written whole or not at all.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import {
  boardReport,
  priorYearOf,
  type BoardReportArgs,
  type ReportStatus,
  type WriteBatch,
} from '../../core';
import { openWorkbook, operationOptions } from '../context';
import { UsageError } from '../errors';
import { io } from '../io';
import { writeFileAtomic } from '../files';
import { withLockedWorkbook } from '../lock';
import { printResult, type GlobalOptions } from '../output';
import { XlsxPort } from '../xlsx-port';

const run = promisify(execFile);

export interface ReportOptions {
  readonly out?: string;
  readonly xlsx?: string;
  readonly save?: boolean;
  readonly status?: string;
  readonly adoptedOn?: string;
  readonly resolution?: string;
  readonly unapproved?: string;
  /** Last year's district workbook, for prior year vs proposed. */
  readonly prior?: string;
  readonly as: string;
}

function statusOf(o: ReportOptions): ReportStatus {
  const s = (o.status ?? 'draft').toLowerCase();
  if (s === 'draft' || s === 'proposed') {
    if (o.adoptedOn || o.resolution)
      throw new UsageError('--adopted-on and --resolution go with --status adopted');
    return { kind: s };
  }
  if (s !== 'adopted')
    throw new UsageError(`--status "${o.status ?? ''}": choose draft, proposed or adopted`);
  if (!o.adoptedOn || !/^\d{4}-\d{2}-\d{2}$/.test(o.adoptedOn))
    throw new UsageError('--status adopted needs --adopted-on YYYY-MM-DD (the date of the board vote)');
  return { kind: 'adopted', on: o.adoptedOn, resolution: o.resolution ?? '' };
}

/** Pages of a PDF LibreOffice wrote (its page objects). */
export function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

/** The report sheets alone, as an .xlsx file's bytes (a new workbook with nothing else in it). */
export async function packetWorkbook(batch: WriteBatch, dir: string): Promise<string> {
  const path = join(dir, 'board-report.xlsx');
  const port = await XlsxPort.create(path);
  await port.write(batch);
  return path;
}

/** LibreOffice's PDF of an .xlsx file, made in `dir` with a profile of its own; a clear error without soffice. */
export async function convertToPdf(
  xlsx: string,
  dir: string,
  soffice = io().env?.BUDGETLINE_SOFFICE ?? 'soffice',
): Promise<string> {
  try {
    await run(
      soffice,
      [
        `-env:UserInstallation=${pathToFileURL(join(dir, 'lo-profile')).href}`,
        '--headless',
        '--convert-to',
        'pdf',
        '--outdir',
        dir,
        xlsx,
      ],
      { timeout: 300_000 },
    );
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UsageError(
        `LibreOffice is needed to make the PDF and "${soffice}" was not found; install LibreOffice (soffice on the PATH), or write the report sheets with --xlsx and print them from Excel`,
      );
    throw new UsageError(
      `LibreOffice could not make the PDF: ${(e as Error).message.split('\n')[0] ?? ''}; nothing was written`,
    );
  }
  const pdf = join(dir, 'board-report.pdf');
  if (!existsSync(pdf))
    throw new UsageError('LibreOffice finished without making a PDF; nothing was written');
  return pdf;
}

export async function reportCommand(file: string, o: ReportOptions, global: GlobalOptions): Promise<number> {
  if (!o.out && !o.xlsx && !o.save)
    throw new UsageError('say where the report goes: --out board-packet.pdf, --xlsx report.xlsx, or --save');
  if (o.out && extname(o.out).toLowerCase() !== '.pdf')
    throw new UsageError(`--out ${o.out}: the PDF's name must end in .pdf`);
  if (o.xlsx && extname(o.xlsx).toLowerCase() !== '.xlsx')
    throw new UsageError(`--xlsx ${o.xlsx}: the report workbook's name must end in .xlsx`);
  const unapproved = o.unapproved ?? 'exclude';
  if (unapproved !== 'exclude' && unapproved !== 'include-marked')
    throw new UsageError(`--unapproved "${unapproved}": choose exclude or include-marked`);
  let args: BoardReportArgs = { status: statusOf(o), unapproved };
  if (o.prior) {
    const last = await openWorkbook(o.prior, { readOnly: true });
    const p = priorYearOf(await last.read({ sheets: 'all', state: true }), basename(o.prior));
    if (!p.prior)
      return printResult(
        'report',
        { ok: false, diagnostics: p.diagnostics, summary: 'No board report was written.' },
        global,
      );
    args = { ...args, priorYear: p.prior };
  }
  const { options, done } = operationOptions(global, o.as);
  // The workbook is the user's: it is only read, unless --save writes the report sheets into it. The
  // lock is held throughout, as by every command, so --save writes over exactly the file it read.
  const { result, lines } = await withLockedWorkbook(
    file,
    async (port) => {
      const snapshot = await port.read(boardReport.reads(args));
      const { result, write } = boardReport.run(snapshot, args, options);
      done();
      const lines: string[] = [];
      if (result.ok && write) {
        const dir = await fsp.mkdtemp(join(tmpdir(), 'budgetline-report-'));
        try {
          const packet = await packetWorkbook(write, dir);
          let pdf: Buffer | undefined;
          if (o.out) pdf = await fsp.readFile(await convertToPdf(packet, dir));
          if (o.xlsx) {
            await writeFileAtomic(o.xlsx, await fsp.readFile(packet));
            lines.push(`Report sheets written to ${o.xlsx}.`);
          }
          if (o.out && pdf) {
            await writeFileAtomic(o.out, pdf);
            lines.push(`Board packet written to ${o.out}: ${pdfPageCount(pdf)} pages.`);
          }
          if (o.save) {
            await port.write(write);
            lines.push(`Report sheets written into ${file}.`);
          }
        } finally {
          await fsp.rm(dir, { recursive: true, force: true });
        }
      }
      return { result, lines };
    },
    o.save ? {} : { readOnly: true },
  );
  return printResult('report', result, global, {
    lines,
    json: { file, ...(result.report ? { report: result.report, sheets: result.sheets } : {}) },
  });
}
