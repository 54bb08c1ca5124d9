/**
 * Reads an .xlsx file's charts and print setup back as the port's ChartSpec and PrintSetup, from
 * the parts themselves (workbook, sheet, drawing and chart XML), for the port contract's charts and
 * print cases over XlsxPort: what is checked is what Excel or LibreOffice would open.
 */
import { readFile } from 'node:fs/promises';
import { a1, type ChartSpec, type PrintSetup } from '../../core';
import { Package } from '../../cli/xlsx/package';
import { fromHeaderFooterCodes } from '../port/contract';

const unescape = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

const attr = (tag: string, name: string): string | undefined => {
  const v = new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  return v === undefined ? undefined : unescape(v);
};

/** The package, the sheet's part and its index in <sheets>, or undefined when there is no such sheet. */
async function sheetPart(
  file: string,
  sheet: string,
): Promise<{ pkg: Package; part: string; index: number; workbook: string } | undefined> {
  const pkg = await Package.read(await readFile(file));
  const workbook = pkg.text('xl/workbook.xml') ?? '';
  const sheets = [...workbook.matchAll(/<(?:\w+:)?sheet\b[^>]*\/?>/g)].map((m) => m[0]);
  const index = sheets.findIndex((t) => attr(t, 'name') === sheet);
  const tag = sheets[index];
  if (!tag) return undefined;
  const rid = /\s[\w]+:id="([^"]+)"/.exec(tag)?.[1];
  const part = pkg.rels('xl/workbook.xml').find((r) => r.id === rid)?.target;
  return part ? { pkg, part, index, workbook } : undefined;
}

/** "'BL Report'!$A$2:$A$4" → { row, column } of both ends (0-based). */
function refEnds(ref: string): { top: number; left: number; bottom: number; right: number } {
  const cells = ref
    .slice(ref.lastIndexOf('!') + 1)
    .replace(/\$/g, '')
    .split(':');
  const at = (c: string): { row: number; column: number } => {
    const m = /^([A-Z]+)(\d+)$/.exec(c) as RegExpExecArray;
    let col = 0;
    for (const ch of m[1] as string) col = col * 26 + ch.charCodeAt(0) - 64;
    return { row: Number(m[2]) - 1, column: col - 1 };
  };
  const p = at(cells[0] as string);
  const q = at(cells[1] ?? (cells[0] as string));
  return { top: p.row, left: p.column, bottom: q.row, right: q.column };
}

export async function xlsxCharts(file: string, sheet: string): Promise<ChartSpec[]> {
  const found = await sheetPart(file, sheet);
  if (!found) return [];
  const { pkg, part } = found;
  const xml = pkg.text(part) ?? '';
  const drawingTag = /<(?:\w+:)?drawing\b[^>]*\/?>/.exec(xml)?.[0];
  if (!drawingTag) return [];
  const drawingId = /\s[\w]+:id="([^"]+)"/.exec(drawingTag)?.[1];
  const drawing = pkg.rels(part).find((r) => r.id === drawingId)?.target;
  if (!drawing) return [];
  const dxml = pkg.text(drawing) ?? '';
  const out: ChartSpec[] = [];
  for (const m of dxml.matchAll(/<xdr:twoCellAnchor\b[\s\S]*?<\/xdr:twoCellAnchor>/g)) {
    const body = m[0];
    const chartId = /<(?:\w+:)?chart\b[^>]*?\s[\w]+:id="([^"]+)"/.exec(body)?.[1];
    if (!chartId) continue;
    const chartPart = pkg.rels(drawing).find((r) => r.id === chartId)?.target ?? '';
    const cxml = pkg.text(chartPart) ?? '';
    const num = (where: 'from' | 'to', what: 'col' | 'row'): number =>
      Number(new RegExp(`<xdr:${where}>[\\s\\S]*?<xdr:${what}>(\\d+)</xdr:${what}>`).exec(body)?.[1]);
    const barDir = /<c:barDir val="(\w+)"/.exec(cxml)?.[1];
    const type: ChartSpec['type'] = cxml.includes('<c:pieChart>')
      ? 'pie'
      : cxml.includes('<c:lineChart>')
        ? 'line'
        : barDir === 'bar'
          ? 'bar'
          : 'column';
    const cat = refEnds(unescape(/<c:cat>[\s\S]*?<c:f>([^<]*)<\/c:f>/.exec(cxml)?.[1] ?? 'A1'));
    const vals = [...cxml.matchAll(/<c:val>[\s\S]*?<c:f>([^<]*)<\/c:f>/g)].map((v) =>
      refEnds(unescape(v[1] ?? 'A1')),
    );
    const right = Math.max(cat.right, ...vals.map((v) => v.right));
    const name = attr(/<(?:\w+:)?cNvPr\b[^>]*>/.exec(body)?.[0] ?? '', 'name') ?? '';
    out.push({
      sheet,
      name,
      type,
      title: unescape(/<a:t>([^<]*)<\/a:t>/.exec(cxml)?.[1] ?? ''),
      data: `${a1(cat.top - 1, cat.left)}:${a1(cat.bottom, right)}`,
      anchor: {
        at: a1(num('from', 'row'), num('from', 'col')),
        columns: num('to', 'col') - num('from', 'col'),
        rows: num('to', 'row') - num('from', 'row'),
      },
    });
  }
  return out;
}

/** "&LLeft&CCenter&RRight" → its parts, as tokens. */
function parts(codes: string | undefined): NonNullable<PrintSetup['header']> {
  const out: { left?: string; center?: string; right?: string } = {};
  if (!codes) return out;
  const text = unescape(codes);
  for (const m of text.matchAll(/&([LCR])((?:[^&]|&[^LCR])*)/g)) {
    const side = ({ L: 'left', C: 'center', R: 'right' } as const)[m[1] as 'L' | 'C' | 'R'];
    out[side] = fromHeaderFooterCodes(m[2] ?? '');
  }
  return out;
}

export async function xlsxPrint(file: string, sheet: string): Promise<PrintSetup | null> {
  const found = await sheetPart(file, sheet);
  if (!found) return null;
  const xml = found.pkg.text(found.part) ?? '';
  const setup = /<(?:\w+:)?pageSetup\b[^>]*\/?>/.exec(xml)?.[0];
  const orientation = setup ? attr(setup, 'orientation') : undefined;
  if (!orientation) return null;
  const fitToPage = attr(/<(?:\w+:)?pageSetUpPr\b[^>]*\/?>/.exec(xml)?.[0] ?? '', 'fitToPage') === '1';
  const titles = new RegExp(
    `<(?:\\w+:)?definedName name="_xlnm.Print_Titles" localSheetId="${found.index}">([^<]*)<`,
  ).exec(found.workbook)?.[1];
  return {
    sheet,
    orientation: orientation === 'landscape' ? 'landscape' : 'portrait',
    fitToWidth:
      fitToPage && attr(setup ?? '', 'fitToWidth') === '1' && attr(setup ?? '', 'fitToHeight') === '0',
    ...(titles
      ? {
          titleRows: unescape(titles)
            .slice(unescape(titles).lastIndexOf('!') + 1)
            .replace(/\$/g, ''),
        }
      : {}),
    header: parts(/<(?:\w+:)?oddHeader>([^<]*)</.exec(xml)?.[1]),
    footer: parts(/<(?:\w+:)?oddFooter>([^<]*)</.exec(xml)?.[1]),
  };
}
