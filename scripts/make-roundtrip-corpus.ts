/**
 * `npm run generate:corpus`: rebuilds the round-trip corpus in test/fixtures/roundtrip/.
 *
 * - user-workbook.fods (authored here, as a district's own workbook would be before Budgetline): a
 *   Dashboard sheet with a bar chart, an image, a pivot table, an Excel table (a database range with
 *   filter buttons), conditional formatting, a user's own note and fill; a hidden sheet Lookups; a
 *   defined name. LibreOffice converts it to user-workbook.xlsx
 *   (`soffice --headless --convert-to xlsx`).
 * - user-workbook.xlsm: the same package with a VBA project (a small vbaProject.bin blob, kept byte
 *   for byte), hand-built because LibreOffice cannot make one: the part, its relationship, and the
 *   macro-enabled content type of the workbook; and, also hand-built, a custom XML part (with its
 *   properties) and the Dashboard sheet's printer settings.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { Package } from '../cli/xlsx/package';
import { makeEntry } from '../cli/xlsx/zip';

const DIR = join(__dirname, '..', 'test', 'fixtures', 'roundtrip');

/** A 4×4 PNG (a blue square), built from its chunks. */
function png(): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(4, 0);
  ihdr.writeUInt32BE(4, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.concat(
    Array.from({ length: 4 }, () => Buffer.from([0, ...Array(4).fill([0, 0x70, 0xc0]).flat()])),
  );
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function fods(): string {
  const row = (cells: string): string => `<table:table-row>${cells}</table:table-row>`;
  const s = (t: string, style = ''): string =>
    `<table:table-cell office:value-type="string"${style ? ` table:style-name="${style}"` : ''}><text:p>${t}</text:p></table:table-cell>`;
  const n = (v: number): string =>
    `<table:table-cell office:value-type="float" office:value="${v}"><text:p>${v}</text:p></table:table-cell>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:chart="urn:oasis:names:tc:opendocument:xmlns:chart:1.0" xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:styles><style:style style:name="Bad" style:family="table-cell" style:parent-style-name="Default"><style:table-cell-properties fo:background-color="#ffc7ce"/></style:style></office:styles>
 <office:automatic-styles>
  <style:style style:name="ta1" style:family="table"><style:table-properties table:display="true"/></style:style>
  <style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style>
  <style:style style:name="ce1" style:family="table-cell" style:parent-style-name="Default"><style:table-cell-properties fo:background-color="#00b0f0"/></style:style>
 </office:automatic-styles>
 <office:body>
  <office:spreadsheet>
   <table:table table:name="Dashboard" table:style-name="ta1">
    <table:shapes>
     <draw:frame draw:z-index="0" draw:name="Budget chart" svg:width="10cm" svg:height="6cm" svg:x="7cm" svg:y="0.5cm">
      <draw:object draw:notify-on-update-of-ranges="Dashboard.A1:Dashboard.B5">
       <office:document office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.chart">
        <office:body><office:chart>
         <chart:chart svg:width="10cm" svg:height="6cm" chart:class="chart:bar">
          <chart:plot-area table:cell-range-address="Dashboard.A1:Dashboard.B5" chart:data-source-has-labels="both">
           <chart:axis chart:dimension="x" chart:name="primary-x"><chart:categories table:cell-range-address="Dashboard.A2:Dashboard.A5"/></chart:axis>
           <chart:axis chart:dimension="y" chart:name="primary-y"/>
           <chart:series chart:values-cell-range-address="Dashboard.B2:Dashboard.B5" chart:label-cell-address="Dashboard.B1" chart:class="chart:bar"><chart:data-point chart:repeated="4"/></chart:series>
          </chart:plot-area>
         </chart:chart>
        </office:chart></office:body>
       </office:document>
      </draw:object>
     </draw:frame>
     <draw:frame draw:z-index="1" draw:name="District logo" svg:width="1cm" svg:height="1cm" svg:x="0.5cm" svg:y="3.5cm"><draw:image><office:binary-data>${png().toString('base64')}</office:binary-data></draw:image></draw:frame>
    </table:shapes>
    <table:table-column table:number-columns-repeated="4"/>
    ${row(`${s('Site')}${s('Budget')}${s('Remarks', 'ce1').replace('</table:table-cell>', '<office:annotation><dc:creator>Principal</dc:creator><text:p>Our own note: check with finance</text:p></office:annotation></table:table-cell>')}`)}
    ${row(`${s('101')}${n(120000)}${s('on track')}`)}
    ${row(`${s('102')}${n(250000)}${s('over')}`)}
    ${row(`${s('101')}${n(50000)}${s('')}`)}
    ${row(`${s('103')}${n(80000)}${s('')}`)}
    <calcext:conditional-formats><calcext:conditional-format calcext:target-range-address="Dashboard.B2:Dashboard.B5"><calcext:condition calcext:apply-style-name="Bad" calcext:value="&gt;200000" calcext:base-cell-address="Dashboard.B2"/></calcext:conditional-format></calcext:conditional-formats>
   </table:table>
   <table:table table:name="Lookups" table:style-name="ta2">
    ${row(`${s('Kind')}${s('Code')}`)}
    ${row(`${s('hidden')}${n(42)}`)}
   </table:table>
   <table:named-expressions><table:named-range table:name="BudgetRange" table:base-cell-address="$Dashboard.$A$1" table:cell-range-address="$Dashboard.$A$1:.$B$5"/></table:named-expressions>
   <table:database-ranges><table:database-range table:name="SitesTable" table:target-range-address="Dashboard.A1:Dashboard.C5" table:display-filter-buttons="true"/></table:database-ranges>
   <table:data-pilot-tables>
    <table:data-pilot-table table:name="BudgetPivot" table:target-range-address="Dashboard.E20:Dashboard.F24" table:buttons="Dashboard.E20">
     <table:source-cell-range table:cell-range-address="Dashboard.A1:Dashboard.B5"/>
     <table:data-pilot-field table:source-field-name="Site" table:orientation="row"><table:data-pilot-level table:show-empty="false"/></table:data-pilot-field>
     <table:data-pilot-field table:source-field-name="Budget" table:orientation="data" table:function="sum"/>
     <table:data-pilot-field table:source-field-name="" table:is-data-layout-field="true" table:orientation="column"/>
    </table:data-pilot-table>
   </table:data-pilot-tables>
  </office:spreadsheet>
 </office:body>
</office:document>
`;
}

/** A small stand-in for a VBA project: an OLE compound-file signature and a few bytes. */
function vbaProject(): Buffer {
  return Buffer.concat([
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
    Buffer.from(
      'Budgetline round-trip corpus: Attribute VB_Name = "Module1"\r\nSub Hello()\r\nEnd Sub\r\n',
      'latin1',
    ),
  ]);
}

async function main(): Promise<void> {
  const source = join(DIR, 'user-workbook.fods');
  writeFileSync(source, fods());
  const tmp = mkdtempSync(join(tmpdir(), 'budgetline-corpus-'));
  try {
    execFileSync(
      'soffice',
      [
        `-env:UserInstallation=file://${join(tmp, 'profile')}`,
        '--headless',
        '--convert-to',
        'xlsx',
        '--outdir',
        DIR,
        source,
      ],
      { stdio: 'inherit', timeout: 180_000 },
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const xlsx = readFileSync(join(DIR, 'user-workbook.xlsx'));
  const pkg = await Package.read(xlsx);
  const wb = 'xl/workbook.xml';
  pkg.setEntry(makeEntry('xl/vbaProject.bin', vbaProject()));
  pkg.addRel(wb, 'http://schemas.microsoft.com/office/2006/relationships/vbaProject', 'xl/vbaProject.bin');
  pkg.addDefault('bin', 'application/vnd.ms-office.vbaProject');
  const types = pkg.text('[Content_Types].xml') ?? '';
  pkg.set(
    '[Content_Types].xml',
    types.replace(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
      'application/vnd.ms-excel.sheet.macroEnabled.main+xml',
    ),
  );
  // Custom XML: a data store item with its properties, related from the workbook.
  pkg.set(
    'customXml/item1.xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<district xmlns="urn:example:district"><id>0612345</id></district>',
  );
  pkg.set(
    'customXml/itemProps1.xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<ds:datastoreItem ds:itemID="{6E0C1B8A-3C2D-4E5F-8A9B-0C1D2E3F4A5B}" xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs/></ds:datastoreItem>',
  );
  pkg.addRel(
    'customXml/item1.xml',
    'http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps',
    'customXml/itemProps1.xml',
  );
  pkg.addOverride(
    'customXml/itemProps1.xml',
    'application/vnd.openxmlformats-officedocument.customXmlProperties+xml',
  );
  pkg.addRel(
    wb,
    'http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml',
    'customXml/item1.xml',
  );
  // Printer settings of the Dashboard sheet (a DEVMODE blob Excel keeps per sheet).
  const sheet = 'xl/worksheets/sheet1.xml';
  pkg.setEntry(
    makeEntry(
      'xl/printerSettings/printerSettings1.bin',
      Buffer.concat([Buffer.from('Budgetline printer\0', 'utf16le'), Buffer.alloc(64, 1)]),
    ),
  );
  const rid = pkg.addRel(
    sheet,
    'http://schemas.openxmlformats.org/officeDocument/2006/relationships/printerSettings',
    'xl/printerSettings/printerSettings1.bin',
  );
  pkg.addOverride(
    'xl/printerSettings/printerSettings1.bin',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings',
  );
  pkg.set(sheet, (pkg.text(sheet) ?? '').replace('<pageSetup ', `<pageSetup r:id="${rid}" `));
  writeFileSync(join(DIR, 'user-workbook.xlsm'), pkg.toBuffer());
  console.log(`wrote ${DIR}/user-workbook.{fods,xlsx,xlsm}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
