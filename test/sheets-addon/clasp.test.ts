/**
 * What `npm run push:sheets` sends to Apps Script: exactly the three built files, asked of clasp
 * itself (`clasp show-file-status --json` reads .clasp.json and .claspignore; it needs no login).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const SCRIPT_ID = '1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdEfGhIjKlMnOpQ';

/** A checkout of the project as a district has it: .claspignore, dist/, and .clasp.json generated. */
function project(env: Record<string, string>): { dir: string; run: ReturnType<typeof spawnSync> } {
  const dir = mkdtempSync(join(tmpdir(), 'clasp-project-'));
  copyFileSync(join(root, '.claspignore'), join(dir, '.claspignore'));
  cpSync(join(root, 'dist', 'sheets-addon'), join(dir, 'dist', 'sheets-addon'), { recursive: true });
  const run = spawnSync(process.execPath, [join(root, 'scripts', 'clasp-config.js'), '--out', dir], {
    env: { ...process.env, BUDGETLINE_SCRIPT_ID: '', ...env },
    encoding: 'utf8',
  });
  return { dir, run };
}

describe('.clasp.json, generated from .clasp.json.template', () => {
  it('is not tracked: the template is, with rootDir at the build output', () => {
    const ignored = readFileSync(join(root, '.gitignore'), 'utf8').split('\n');
    expect(ignored).toContain('.clasp.json');
    const template = readFileSync(join(root, '.clasp.json.template'), 'utf8');
    expect(template).toContain('${BUDGETLINE_SCRIPT_ID}');
  });

  it('is written with the Script ID from BUDGETLINE_SCRIPT_ID', () => {
    const { dir, run } = project({ BUDGETLINE_SCRIPT_ID: SCRIPT_ID });
    try {
      expect(run.status).toBe(0);
      expect(JSON.parse(readFileSync(join(dir, '.clasp.json'), 'utf8'))).toEqual({
        scriptId: SCRIPT_ID,
        rootDir: 'dist/sheets-addon',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops, saying what to do, without an ID or with one that is not a Script ID', () => {
    for (const [env, message] of [
      [{}, /set BUDGETLINE_SCRIPT_ID/],
      [{ BUDGETLINE_SCRIPT_ID: 'my script' }, /is not an Apps Script Script ID/],
    ] as const) {
      const { dir, run } = project(env);
      try {
        expect(run.status).toBe(1);
        expect(run.stderr).toMatch(message);
        expect(existsSync(join(dir, '.clasp.json'))).toBe(false);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});

describe('clasp push', () => {
  it('pushes exactly Code.js, Sidebar.html and appsscript.json from dist/sheets-addon', () => {
    const home = mkdtempSync(join(tmpdir(), 'clasp-home-')); // no credentials of anyone's
    const { dir } = project({ BUDGETLINE_SCRIPT_ID: SCRIPT_ID });
    try {
      const out = execFileSync(
        process.execPath,
        [
          join(root, 'node_modules', '@google', 'clasp', 'build', 'src', 'index.js'),
          'show-file-status',
          '--json',
        ],
        { cwd: dir, env: { ...process.env, HOME: home }, encoding: 'utf8' },
      );
      const json = JSON.parse(out.slice(out.indexOf('{'))) as { filesToPush: string[] };
      expect([...json.filesToPush].sort()).toEqual([
        'dist/sheets-addon/Code.js',
        'dist/sheets-addon/Sidebar.html',
        'dist/sheets-addon/appsscript.json',
      ]);
    } finally {
      rmSync(home, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // spreadsheets.currentonly: this spreadsheet only; script.container.ui: menu and sidebar;
  // userinfo.email: Session.getActiveUser().getEmail(), the approver's identity. No Sheets advanced
  // service (it would need the broader spreadsheets scope), no mail, no external requests.
  it('ships the repository manifest unchanged: V8 and only the scopes the features need', () => {
    const built = readFileSync(join(root, 'dist', 'sheets-addon', 'appsscript.json'), 'utf8');
    expect(built).toBe(readFileSync(join(root, 'appsscript.json'), 'utf8'));
    const manifest = JSON.parse(built) as { runtimeVersion: string; oauthScopes: string[] };
    expect(manifest.runtimeVersion).toBe('V8');
    expect(manifest.oauthScopes.sort()).toEqual([
      'https://www.googleapis.com/auth/script.container.ui',
      'https://www.googleapis.com/auth/spreadsheets.currentonly',
      'https://www.googleapis.com/auth/userinfo.email',
    ]);
  });
});
