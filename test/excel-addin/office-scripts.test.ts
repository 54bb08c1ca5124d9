/**
 * The Office add-in's npm scripts (start, stop, validate, lint:office) follow office-addin-cli's
 * package.json conventions: the Office tools read the dev-server command through office-addin-cli's
 * getPackageJsonScript and their settings from package.json's "config" (npm_package_config_*), so the
 * scripts name no settings twice. office-addin-debugging runs on demand (npx), so `npm ci` installs
 * nothing native; office-addin-cli itself is a plain devDependency, checked here to stay that way.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
interface PackageJson {
  scripts: Record<string, string>;
  config: Record<string, string | number>;
  devDependencies: Record<string, string>;
}
interface LockEntry {
  hasInstallScript?: boolean;
  dependencies?: Record<string, string>;
  integrity?: string;
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockEntry>;
};
const manifest = readFileSync(join(root, 'manifest.xml'), 'utf8');

// office-addin-cli is CommonJS without ESM types worth importing here; load it as Office's tools do.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const officeAddinCli = require('office-addin-cli') as {
  getPackageJsonScript(name: string): Promise<string | undefined>;
  clearCachedScripts(): void;
  parseNumber(value: unknown, message?: string): number | undefined;
};

describe('the Office add-in npm scripts', () => {
  const saved = process.env['npm_package_json'];
  beforeEach(() => {
    // What `npm run start` sets for the tools it starts.
    process.env['npm_package_json'] = join(root, 'package.json');
    officeAddinCli.clearCachedScripts();
  });
  afterAll(() => {
    if (saved === undefined) delete process.env['npm_package_json'];
    else process.env['npm_package_json'] = saved;
  });

  it('give office-addin-debugging the dev server through office-addin-cli', async () => {
    const devServer = await officeAddinCli.getPackageJsonScript('dev-server');
    expect(devServer).toBe(pkg.scripts['dev-server']);
    expect(devServer).toMatch(/^webpack serve --config excel-addin\/webpack\.config\.js\b/);
    expect(await officeAddinCli.getPackageJsonScript('no-such-script')).toBeUndefined();
  });

  it('serve on the port the manifest names, as office-addin-debugging parses it', () => {
    const port = officeAddinCli.parseNumber(String(pkg.config['dev_server_port']));
    expect(Number.isInteger(port)).toBe(true);
    const hosts = new Set([...manifest.matchAll(/https:\/\/localhost(?::(\d+))?\//g)].map((m) => m[1]));
    expect([...hosts]).toEqual([String(port)]);
    // The dev server reads the same setting (webpack.config.js: npm_package_config_dev_server_port).
    expect(readFileSync(join(root, 'excel-addin', 'webpack.config.js'), 'utf8')).toContain(
      'npm_package_config_dev_server_port',
    );
  });

  it('start and stop Excel on the desktop with the manifest, settings from "config"', () => {
    expect(pkg.config['app_to_debug']).toBe('excel');
    expect(pkg.config['app_platform_to_debug']).toBe('desktop');
    expect(pkg.scripts['start']).toBe('npx --yes office-addin-debugging@7 start manifest.xml');
    expect(pkg.scripts['stop']).toBe('npx --yes office-addin-debugging@7 stop manifest.xml');
    expect(existsSync(join(root, 'manifest.xml'))).toBe(true);
  });

  it('validate and lint with tools installed by npm ci, lint files from "config"', () => {
    expect(pkg.scripts['validate']).toBe('office-addin-manifest validate manifest.xml');
    expect(pkg.scripts['lint:office']).toBe('office-addin-lint check');
    expect(pkg.config['lint_files']).toBe('excel-addin/**/*.ts');
    for (const bin of ['office-addin-manifest', 'office-addin-lint', 'office-addin-cli'])
      expect(existsSync(join(root, 'node_modules', '.bin', bin))).toBe(true);
  });

  it('install office-addin-cli from the registry with nothing native', () => {
    expect(pkg.devDependencies['office-addin-cli']).toBeDefined();
    // Resolve as node does: the nearest node_modules up from the package that depends on it.
    const locate = (name: string, from: string): string => {
      for (let dir = from; ; dir = dir.replace(/\/?node_modules\/(@[^/]+\/)?[^/]+$/, '')) {
        const key = `${dir ? `${dir}/` : ''}node_modules/${name}`;
        if (lock.packages[key]) return key;
        if (!dir) throw new Error(`${name} (from ${from}) is not in package-lock.json`);
      }
    };
    const seen = new Set<string>();
    const walk = (key: string): void => {
      if (seen.has(key)) return;
      seen.add(key);
      const entry = lock.packages[key] as LockEntry;
      expect({ key, install: entry.hasInstallScript ?? false }).toEqual({ key, install: false });
      expect({ key, integrity: entry.integrity?.slice(0, 7) }).toEqual({ key, integrity: 'sha512-' });
      for (const dep of Object.keys(entry.dependencies ?? {})) walk(locate(dep, key));
    };
    walk(locate('office-addin-cli', ''));
    expect(seen.size).toBeGreaterThan(1);
  });
});
