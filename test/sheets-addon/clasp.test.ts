/**
 * What `npm run push:sheets` sends to Apps Script: exactly the three built files, asked of clasp
 * itself (`clasp show-file-status --json` reads .clasp.json and .claspignore; it needs no login).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

describe('clasp push', () => {
  it('pushes exactly Code.js, Sidebar.html and appsscript.json from dist/sheets-addon', () => {
    const home = mkdtempSync(join(tmpdir(), 'clasp-home-')); // no credentials of anyone's
    try {
      const out = execFileSync(
        process.execPath,
        [
          join(root, 'node_modules', '@google', 'clasp', 'build', 'src', 'index.js'),
          'show-file-status',
          '--json',
        ],
        { cwd: root, env: { ...process.env, HOME: home }, encoding: 'utf8' },
      );
      const json = JSON.parse(out.slice(out.indexOf('{'))) as { filesToPush: string[] };
      expect([...json.filesToPush].sort()).toEqual([
        'dist/sheets-addon/Code.js',
        'dist/sheets-addon/Sidebar.html',
        'dist/sheets-addon/appsscript.json',
      ]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('has rootDir at the build output and a placeholder scriptId a district replaces', () => {
    const clasp = JSON.parse(readFileSync(join(root, '.clasp.json'), 'utf8')) as Record<string, string>;
    expect(clasp['rootDir']).toBe('dist/sheets-addon');
    expect(clasp['scriptId']).toBe('REPLACE-WITH-YOUR-SCRIPT-ID');
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
