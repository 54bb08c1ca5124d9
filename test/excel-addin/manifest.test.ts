/**
 * The schema check (scripts/check-manifests.js, against the schemas vendored in vendor/schemas), and
 * what the manifest schema cannot check:
 * every resid resolves, every FunctionName has an Office.actions.associate in the code, the shared
 * runtime, the FunctionFile and the task pane are one page, every URL is https and names a file the
 * build makes.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const xml = readFileSync(join(root, 'manifest.xml'), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
const src = readdirSync(join(root, 'excel-addin', 'src'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(join(root, 'excel-addin', 'src', f), 'utf8'))
  .join('\n');

const all = (re: RegExp): string[][] => [...xml.matchAll(re)].map((m) => m.slice(1));
const resources = new Map(
  all(/<bt:(?:Image|Url|String)\s+id="([^"]+)"\s+DefaultValue="([^"]*)"/g).map(([id, v]) => [
    id as string,
    v as string,
  ]),
);
const url = (resid: string): string | undefined => resources.get(resid);

describe('manifest.xml', () => {
  it('resolves every resid to a resource', () => {
    const resids = all(/resid="([^"]+)"/g).map(([r]) => r as string);
    expect(resids.length).toBeGreaterThan(10);
    expect(resids.filter((r) => !resources.has(r))).toEqual([]);
  });

  it('gives every resource id once', () => {
    const ids = all(/<bt:(?:Image|Url|String)\s+id="([^"]+)"/g).map(([id]) => id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('associates every FunctionName with Office.actions.associate in the code', () => {
    const names = all(/<FunctionName>([^<]+)<\/FunctionName>/g).map(([n]) => n as string);
    expect(names.sort()).toEqual([
      'boardReport',
      'consolidateDistrict',
      'submitForApproval',
      'validateWorkbook',
    ]);
    for (const n of names) expect(src).toContain(`Office.actions.associate('${n}'`);
  });

  it('runs the ribbon, the change handler and the pane in one shared runtime page', () => {
    const runtime = all(/<Runtime\s+resid="([^"]+)"[^>]*lifetime="long"/g)[0]?.[0];
    const functionFile = all(/<FunctionFile\s+resid="([^"]+)"/g)[0]?.[0];
    const panes = all(/<Action xsi:type="ShowTaskpane">[\s\S]*?<SourceLocation resid="([^"]+)"/g).map(
      ([r]) => r,
    );
    const defaultPage = all(/<SourceLocation DefaultValue="([^"]+)"/g)[0]?.[0];
    expect(runtime).toBeDefined();
    expect(functionFile).toBe(runtime);
    expect(panes).toEqual([runtime]);
    expect(url(runtime as string)).toBe(defaultPage);
    expect(xml).toMatch(/<bt:Set Name="SharedRuntime" MinVersion="1.1"\/>/);
  });

  it('puts the Budgetline button and the four commands on the Home tab', () => {
    expect(xml).toMatch(/<OfficeTab id="TabHome">/);
    const labels = all(/<Control xsi:type="Button" id="[^"]+">\s*<Label resid="([^"]+)"/g).map(([r]) =>
      url(r as string),
    );
    expect(labels).toEqual(['Budgetline', 'Validate', 'Consolidate', 'Board report', 'Submit for approval']);
  });

  it('uses https for every URL, and each names a file the build makes', () => {
    const urls = [
      ...all(/DefaultValue="(https?:[^"]+)"/g).map(([u]) => u as string),
      ...all(/<AppDomain>([^<]+)<\/AppDomain>/g).map(([u]) => u as string),
    ];
    expect(urls.length).toBeGreaterThan(5);
    for (const u of urls) expect(u).toMatch(/^https:\/\//);
    const host = new URL(urls[0] as string).origin;
    for (const u of urls.filter((x) => x.startsWith(host) && new URL(x).pathname !== '/')) {
      const path = new URL(u).pathname.slice(1);
      const built = join(root, 'dist', 'excel-addin', path);
      const source = [join(root, 'excel-addin', path), join(root, 'excel-addin', 'src', path)];
      expect([built, ...source].some((p) => existsSync(p)) || `${path} missing`).toBe(true);
    }
  });
});

describe('npm run check:manifests (the vendored schemas)', () => {
  const check = (dir?: string) =>
    spawnSync(process.execPath, [join(root, 'scripts', 'check-manifests.js'), ...(dir ? [dir] : [])], {
      encoding: 'utf8',
    });

  it('finds manifest.xml and appsscript.json valid', () => {
    const r = check();
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('manifest.xml: valid against the Office add-in manifest schema');
    expect(r.stdout).toContain('appsscript.json: valid against the Apps Script manifest schema');
    expect(r.status).toBe(0);
  });

  it('refuses a manifest that breaks the schemas, naming what is wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'budgetline-manifests-'));
    try {
      writeFileSync(join(dir, 'manifest.xml'), xml.replace(/<Id>[^<]*<\/Id>/, '<Id>not-a-guid</Id>'));
      const apps = JSON.parse(readFileSync(join(root, 'appsscript.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(dir, 'appsscript.json'), JSON.stringify({ ...apps, runtimeVersion: 'RHINO' }));
      const r = check(dir);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/manifest\.xml.*Id/);
      expect(r.stderr).toMatch(/appsscript\.json: \/runtimeVersion/);
      copyFileSync(join(root, 'manifest.xml'), join(dir, 'manifest.xml'));
      expect(check(dir).stderr).not.toMatch(/manifest\.xml/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
