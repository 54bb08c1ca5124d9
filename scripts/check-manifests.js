#!/usr/bin/env node
/**
 * `npm run check:manifests [dir]`: validates dir's manifest.xml (Office add-in) with xmllint and its
 * appsscript.json (Apps Script) with Ajv, against the hosts' published schemas vendored in
 * vendor/schemas (see vendor/schemas/README.md). dir defaults to the project root. Exit 0 when both are
 * valid, 1 when one is not (what failed is printed), 2 when xmllint is missing.
 */
const { execFileSync } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const SCHEMAS = join(__dirname, '..', 'vendor', 'schemas');

function hasXmllint() {
  try {
    execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function checkManifestXml(file) {
  const xsd = join(SCHEMAS, 'office-addin-manifest', 'OfficeAppManifestV1_1.xsd');
  try {
    execFileSync('xmllint', ['--noout', '--nonet', '--schema', xsd, file], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return { ok: true, message: 'manifest.xml: valid against the Office add-in manifest schema' };
  } catch (e) {
    return { ok: false, message: String(e.stderr || e.message).trim() };
  }
}

function checkAppsscriptJson(file) {
  const Ajv = require('ajv');
  const ajv = new (Ajv.default || Ajv)({ allErrors: true, strict: false, validateFormats: false });
  const validate = ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, 'appsscript.schema.json'), 'utf8')));
  let data;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { ok: false, message: `appsscript.json: not JSON: ${e.message}` };
  }
  if (validate(data))
    return { ok: true, message: 'appsscript.json: valid against the Apps Script manifest schema' };
  return {
    ok: false,
    message: validate.errors.map((e) => `appsscript.json: ${e.instancePath || '/'} ${e.message}`).join('\n'),
  };
}

/**
 * No dir: the root's manifest.xml and appsscript.json (both needed), and the manifest the build
 * wrote for its deployment (dist/excel-addin/manifest.xml, from BUDGETLINE_ADDIN_URL …) when built.
 * A dir: whichever of the two it holds (at least one).
 */
function main(argv) {
  const rootDir = join(__dirname, '..');
  const dir = resolve(argv[0] ?? rootDir);
  if (!hasXmllint()) {
    console.error('check-manifests: xmllint is missing: apt-get install -y libxml2-utils');
    return 2;
  }
  const files = [
    ['manifest.xml', join(dir, 'manifest.xml'), checkManifestXml],
    ['appsscript.json', join(dir, 'appsscript.json'), checkAppsscriptJson],
  ];
  const built = join(rootDir, 'dist', 'excel-addin', 'manifest.xml');
  if (argv[0] === undefined && existsSync(built))
    files.push(['dist/excel-addin/manifest.xml', built, checkManifestXml]);
  const present = files.filter(([, file]) => existsSync(file));
  let status = 0;
  if (argv[0] === undefined) {
    for (const [name, file] of files.slice(0, 2))
      if (!existsSync(file)) {
        console.error(`check-manifests: no ${name} in ${dir}`);
        status = 1;
      }
  } else if (present.length === 0) {
    console.error(`check-manifests: neither manifest.xml nor appsscript.json in ${dir}`);
    return 1;
  }
  for (const [name, file, check] of present) {
    const r = check(file);
    const message = name.includes('/') ? r.message.replace(/^manifest\.xml/, name) : r.message;
    (r.ok ? console.log : console.error)(message);
    if (!r.ok) status = 1;
  }
  return status;
}

module.exports = { checkManifestXml, checkAppsscriptJson };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
