/**
 * The deployment configuration (scripts/addin-config.js): one environment variable for the add-in's
 * address and one for the app registration's client ID, checked, and the manifest made from them
 * still passes the manifest schema check. The built pane with such a configuration is tested in
 * signin.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const config = require('../../scripts/addin-config.js') as {
  ConfigError: new (m: string) => Error;
  DEV_URL: string;
  TEMPLATE: string;
  readConfig(env: Record<string, string | undefined>): {
    addinUrl: string;
    clientId: string;
    tenantId: string;
  };
  renderManifest(template: string, c: { addinUrl: string; clientId: string; tenantId: string }): string;
};

const root = join(__dirname, '..', '..');
const template = readFileSync(config.TEMPLATE, 'utf8');
const CLIENT = '3f2a9c1e-5b7d-4e2f-9a10-6c8d2e4b1f07';

function schemaCheck(xml: string): { status: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'budgetline-deploy-'));
  try {
    writeFileSync(join(dir, 'manifest.xml'), xml);
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'check-manifests.js'), dir], {
      encoding: 'utf8',
    });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the deployment configuration', () => {
  it('defaults to the dev server and no app registration', () => {
    expect(config.readConfig({})).toEqual({ addinUrl: 'https://localhost:3000', clientId: '', tenantId: '' });
  });

  it('takes the production URL and the client ID, one variable each', () => {
    expect(
      config.readConfig({
        BUDGETLINE_ADDIN_URL: 'https://apps.lincoln-usd.org/budgetline/',
        BUDGETLINE_CLIENT_ID: CLIENT.toUpperCase(),
        BUDGETLINE_TENANT_ID: 'B7A1C2D3-0000-4000-8000-00000000D15C',
      }),
    ).toEqual({
      addinUrl: 'https://apps.lincoln-usd.org/budgetline',
      clientId: CLIENT,
      tenantId: 'b7a1c2d3-0000-4000-8000-00000000d15c',
    });
  });

  it.each([
    [{ BUDGETLINE_ADDIN_URL: 'http://budget.district.org' }, /must be https/],
    [{ BUDGETLINE_ADDIN_URL: 'budget.district.org' }, /is not a URL/],
    [{ BUDGETLINE_ADDIN_URL: 'https://budget.district.org/?x=1' }, /without query/],
    [{ BUDGETLINE_CLIENT_ID: 'my-app' }, /BUDGETLINE_CLIENT_ID "my-app" is not an Application \(client\) ID/],
    [{ BUDGETLINE_CLIENT_ID: '00000000-0000-0000-0000-000000000000' }, /placeholder/],
    [{ BUDGETLINE_TENANT_ID: 'district.org' }, /BUDGETLINE_TENANT_ID/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => config.readConfig(env)).toThrow(message);
  });

  it('stops the build with the message when a value is bad', () => {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'addin-config.js')], {
      encoding: 'utf8',
      env: { ...process.env, BUDGETLINE_ADDIN_URL: 'http://x.org' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^addin-config: BUDGETLINE_ADDIN_URL "http:\/\/x.org" must be https/);
  });
});

describe('the manifest made from the configuration', () => {
  it('moves every address to the production URL, fills in the client ID, and passes the schema check', () => {
    const xml = config.renderManifest(
      template,
      config.readConfig({
        BUDGETLINE_ADDIN_URL: 'https://apps.lincoln-usd.org/budgetline',
        BUDGETLINE_CLIENT_ID: CLIENT,
      }),
    );
    expect(xml).not.toMatch(/localhost/);
    expect(xml).toContain('<AppDomain>https://apps.lincoln-usd.org</AppDomain>');
    expect(xml).toContain(
      '<SourceLocation DefaultValue="https://apps.lincoln-usd.org/budgetline/taskpane.html"/>',
    );
    expect(xml).toContain(
      '<bt:Image id="Icon.80x80" DefaultValue="https://apps.lincoln-usd.org/budgetline/assets/icon-80.png"/>',
    );
    expect(xml).toMatch(
      new RegExp(
        `<WebApplicationInfo>\\s*<Id>${CLIENT}</Id>\\s*<Resource>api://apps.lincoln-usd.org/${CLIENT}</Resource>`,
      ),
    );
    // every address of the template moved: as many https URLs, none left behind
    const urls = (s: string): number => (s.match(/https:\/\//g) ?? []).length;
    expect(urls(xml)).toBe(urls(template));
    const check = schemaCheck(xml);
    expect(check.out).toContain('manifest.xml: valid against the Office add-in manifest schema');
    expect(check.status).toBe(0);
  });

  it('leaves out the legacy single sign-on without a client ID, still valid', () => {
    const xml = config.renderManifest(
      template,
      config.readConfig({ BUDGETLINE_ADDIN_URL: 'https://budget.district.org' }),
    );
    expect(xml).not.toMatch(/<WebApplicationInfo>|localhost/);
    expect(schemaCheck(xml).status).toBe(0);
  });

  it('is what the build wrote into dist/excel-addin (npm run build: the default configuration)', () => {
    const built = readFileSync(join(root, 'dist', 'excel-addin', 'manifest.xml'), 'utf8');
    expect(built).toBe(config.renderManifest(template, config.readConfig({})));
  });
});
