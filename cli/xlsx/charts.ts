/**
 * Native charts in an .xlsx package (WriteBatch `charts`): each chart is a DrawingML chart part
 * (xl/charts/chartN.xml) anchored in the sheet's drawing part (xl/drawings/drawingN.xml, related from
 * the sheet by its <drawing> element), with content-type overrides. A chart is known by its name
 * (the graphic frame's cNvPr name): writing a chart of the same name on the same sheet removes the
 * old one first, so a report written twice has one chart each. Everything else in a drawing the
 * sheet already has (pictures, shapes, the user's own charts) is kept as it is.
 */
import type { CellValue, ChartSpec } from '../../core';
import { absoluteRange, parseA1, quoteSheetName } from '../../core';
import { insertBeforeClose, relsPath, type Package } from './package';
import { escapeAttr, escapeText, topLevel } from './xml';

export const CHART_REL = {
  drawing: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing',
  chart: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart',
} as const;

export const CHART_CONTENT = {
  drawing: 'application/vnd.openxmlformats-officedocument.drawing+xml',
  chart: 'application/vnd.openxmlformats-officedocument.drawingml.chart+xml',
} as const;

const NS = {
  xdr: 'http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing',
  a: 'http://schemas.openxmlformats.org/drawingml/2006/main',
  c: 'http://schemas.openxmlformats.org/drawingml/2006/chart',
  r: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
} as const;

/** What charts need of a sheet part: its cells (for the charts' cached values) and its drawing element. */
export interface ChartSheet {
  readonly path: string;
  get(row: number, col: number): CellValue;
  element(name: string): string | undefined;
  setElement(name: string, text: string | null): void;
  readonly prefix: string;
}

/** The range's cells: header row then data rows; categories in the first column. */
function rangeOf(data: string): { top: number; left: number; bottom: number; right: number } {
  const [from, to] = data.replace(/\$/g, '').split(':');
  const p = parseA1(from ?? '');
  const q = parseA1(to ?? from ?? '');
  if (!p || !q) throw new RangeError(`chart data range "${data}" is not an A1 range`);
  return { top: p.row, left: p.column, bottom: q.row, right: q.column };
}

const ref = (sheet: string, r1: number, c1: number, r2: number, c2: number): string =>
  `${quoteSheetName(sheet)}!${absoluteRange(`${col(c1)}${r1 + 1}:${col(c2)}${r2 + 1}`)}`;

function col(c: number): string {
  let s = '';
  for (let n = c + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const text = (v: CellValue): string =>
  v === null || v === undefined ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : String(v);

function strCache(values: readonly CellValue[]): string {
  return `<c:strCache><c:ptCount val="${values.length}"/>${values
    .map((v, i) => `<c:pt idx="${i}"><c:v>${escapeText(text(v))}</c:v></c:pt>`)
    .join('')}</c:strCache>`;
}

function numCache(values: readonly CellValue[]): string {
  return `<c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="${values.length}"/>${values
    .map((v, i) =>
      typeof v === 'number' && Number.isFinite(v) ? `<c:pt idx="${i}"><c:v>${v}</c:v></c:pt>` : '',
    )
    .join('')}</c:numCache>`;
}

/** Fills of series (and of pie slices) in order: a package may have no theme to take colours from. */
const PALETTE = [
  '1F4E79',
  'C55A11',
  '548235',
  '7F6000',
  '7030A0',
  '2E75B6',
  'BF9000',
  'A50021',
  '43682B',
  '595959',
];

const fill = (i: number): string =>
  `<c:spPr><a:solidFill><a:srgbClr val="${PALETTE[i % PALETTE.length] ?? '1F4E79'}"/></a:solidFill><a:ln><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill></a:ln></c:spPr>`;

const stroke = (i: number): string =>
  `<c:spPr><a:ln w="28575"><a:solidFill><a:srgbClr val="${PALETTE[i % PALETTE.length] ?? '1F4E79'}"/></a:solidFill></a:ln></c:spPr>`;

/** The chart part's XML for a spec, with the values of its range cached. */
export function chartXml(spec: ChartSpec, cells: ChartSheet): string {
  const g = rangeOf(spec.data);
  const cats: CellValue[] = [];
  for (let r = g.top + 1; r <= g.bottom; r++) cats.push(cells.get(r, g.left));
  const catRef = ref(spec.sheet, g.top + 1, g.left, g.bottom, g.left);
  const series: string[] = [];
  for (let c = g.left + 1; c <= g.right; c++) {
    const i = c - g.left - 1;
    const vals: CellValue[] = [];
    for (let r = g.top + 1; r <= g.bottom; r++) vals.push(cells.get(r, c));
    const labels =
      spec.type === 'pie'
        ? '<c:dLbls><c:numFmt formatCode="0.0%" sourceLinked="0"/><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr><c:dLblPos val="outEnd"/><c:showLegendKey val="0"/><c:showVal val="0"/><c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="1"/><c:showBubbleSize val="0"/><c:showLeaderLines val="1"/></c:dLbls>'
        : '';
    const points =
      spec.type === 'pie'
        ? cats.map((_, k) => `<c:dPt><c:idx val="${k}"/><c:bubble3D val="0"/>${fill(k)}</c:dPt>`).join('')
        : '';
    series.push(
      `<c:ser><c:idx val="${i}"/><c:order val="${i}"/><c:tx><c:strRef><c:f>${escapeText(ref(spec.sheet, g.top, c, g.top, c))}</c:f>${strCache([cells.get(g.top, c)])}</c:strRef></c:tx>` +
        (spec.type === 'pie' ? '' : spec.type === 'line' ? stroke(i) : fill(i)) +
        (spec.type === 'bar' || spec.type === 'column' ? '<c:invertIfNegative val="0"/>' : '') +
        points +
        (spec.type === 'line' ? '<c:marker><c:symbol val="circle"/></c:marker>' : '') +
        labels +
        `<c:cat><c:strRef><c:f>${escapeText(catRef)}</c:f>${strCache(cats)}</c:strRef></c:cat>` +
        `<c:val><c:numRef><c:f>${escapeText(ref(spec.sheet, g.top + 1, c, g.bottom, c))}</c:f>${numCache(vals)}</c:numRef></c:val>` +
        (spec.type === 'line' ? '<c:smooth val="0"/>' : '') +
        '</c:ser>',
    );
  }
  const axes = (catPos: 'b' | 'l', valPos: 'l' | 'b'): string =>
    `<c:catAx><c:axId val="500000001"/><c:scaling><c:orientation val="${catPos === 'l' ? 'maxMin' : 'minMax'}"/></c:scaling><c:delete val="0"/><c:axPos val="${catPos}"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="low"/><c:crossAx val="500000002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>` +
    `<c:valAx><c:axId val="500000002"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="${valPos}"/><c:majorGridlines/><c:numFmt formatCode="#,##0" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="500000001"/><c:crosses val="${catPos === 'l' ? 'max' : 'autoZero'}"/><c:crossBetween val="between"/></c:valAx>`;
  const ids = '<c:axId val="500000001"/><c:axId val="500000002"/>';
  const plot =
    spec.type === 'pie'
      ? `<c:pieChart><c:varyColors val="1"/>${series.join('')}<c:firstSliceAng val="0"/></c:pieChart>`
      : spec.type === 'line'
        ? `<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>${series.join('')}<c:marker val="1"/>${ids}</c:lineChart>${axes('b', 'l')}`
        : `<c:barChart><c:barDir val="${spec.type === 'bar' ? 'bar' : 'col'}"/><c:grouping val="clustered"/><c:varyColors val="0"/>${series.join('')}<c:gapWidth val="80"/>${ids}</c:barChart>${spec.type === 'bar' ? axes('l', 'b') : axes('b', 'l')}`;
  const legend = spec.type === 'pie' || g.right - g.left > 1;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    `<c:chartSpace xmlns:c="${NS.c}" xmlns:a="${NS.a}" xmlns:r="${NS.r}"><c:roundedCorners val="0"/><c:chart>` +
    `<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1400" b="1"/></a:pPr><a:r><a:rPr lang="en-US" sz="1400" b="1"/><a:t>${escapeText(spec.title)}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>` +
    `<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>${plot}</c:plotArea>` +
    (legend ? '<c:legend><c:legendPos val="r"/><c:overlay val="0"/></c:legend>' : '') +
    '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>'
  );
}

function anchorXml(spec: ChartSpec, id: number, rid: string): string {
  const at = parseA1(spec.anchor.at);
  if (!at) throw new RangeError(`chart anchor "${spec.anchor.at}" is not a cell`);
  const pt = (c: number, r: number): string =>
    `<xdr:col>${c}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${r}</xdr:row><xdr:rowOff>0</xdr:rowOff>`;
  return (
    `<xdr:twoCellAnchor xmlns:xdr="${NS.xdr}" xmlns:a="${NS.a}" xmlns:r="${NS.r}" editAs="oneCell">` +
    `<xdr:from>${pt(at.column, at.row)}</xdr:from><xdr:to>${pt(at.column + spec.anchor.columns, at.row + spec.anchor.rows)}</xdr:to>` +
    `<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="${id}" name="${escapeAttr(spec.name)}" title="${escapeAttr(spec.title)}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>` +
    '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>' +
    `<a:graphic><a:graphicData uri="${NS.c}"><c:chart xmlns:c="${NS.c}" r:id="${rid}"/></a:graphicData></a:graphic>` +
    '</xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>'
  );
}

/** The sheet's drawing part, created (with its relationship, content type and <drawing>) when missing. */
function drawingOf(pkg: Package, sheet: ChartSheet): string {
  const el = sheet.element('drawing');
  const rid = el ? /\s[\w]+:id="([^"]+)"/.exec(el)?.[1] : undefined;
  const existing = rid ? pkg.rels(sheet.path).find((r) => r.id === rid && !r.external) : undefined;
  if (existing && pkg.has(existing.target)) return existing.target;
  const path = pkg.freeName('xl/drawings/drawing', '.xml');
  pkg.set(
    path,
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr="${NS.xdr}" xmlns:a="${NS.a}"></xdr:wsDr>`,
  );
  pkg.addOverride(path, CHART_CONTENT.drawing);
  const id = pkg.addRel(sheet.path, CHART_REL.drawing, path);
  const p = sheet.prefix;
  sheet.setElement('drawing', `<${p}drawing xmlns:r="${NS.r}" r:id="${id}"/>`);
  return path;
}

/** Removes the chart named `name` from a drawing (its anchor, relationship, part and content type). */
function removeNamed(pkg: Package, drawing: string, name: string): void {
  for (;;) {
    const xml = pkg.text(drawing) ?? '';
    const anchor = topLevel(xml).children.find((a) => {
      const body = xml.slice(a.start, a.end);
      const nameAttr = /<(?:\w+:)?cNvPr\b[^>]*?\sname="([^"]*)"/.exec(body)?.[1];
      return /<(?:\w+:)?graphicFrame\b/.test(body) && nameAttr !== undefined && nameAttr === escapeAttr(name);
    });
    if (!anchor) return;
    const body = xml.slice(anchor.start, anchor.end);
    const rid = /<(?:\w+:)?chart\b[^>]*?\s[\w]+:id="([^"]+)"/.exec(body)?.[1];
    const rel = rid ? pkg.rels(drawing).find((r) => r.id === rid) : undefined;
    pkg.set(drawing, xml.slice(0, anchor.start) + xml.slice(anchor.end));
    if (rid) pkg.removeRel(drawing, rid);
    if (rel && !rel.external) {
      pkg.remove(rel.target);
      if (pkg.has(relsPath(rel.target))) pkg.remove(relsPath(rel.target));
      pkg.removeOverride(rel.target);
    }
  }
}

/** Writes the charts of one sheet: each replaces a chart of the same name, never adds a second. */
export function writeCharts(pkg: Package, sheet: ChartSheet, specs: readonly ChartSpec[]): void {
  if (!specs.length) return;
  const drawing = drawingOf(pkg, sheet);
  for (const spec of specs) {
    removeNamed(pkg, drawing, spec.name);
    const chart = pkg.freeName('xl/charts/chart', '.xml');
    pkg.set(chart, chartXml(spec, sheet));
    pkg.addOverride(chart, CHART_CONTENT.chart);
    const rid = pkg.addRel(drawing, CHART_REL.chart, chart);
    const xml = pkg.text(drawing) ?? '';
    const ids = [...xml.matchAll(/<(?:\w+:)?cNvPr\b[^>]*?\sid="(\d+)"/g)].map((m) => Number(m[1]));
    pkg.set(drawing, insertBeforeClose(xml, anchorXml(spec, Math.max(1, ...ids) + 1, rid)));
  }
}
