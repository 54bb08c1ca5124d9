#!/usr/bin/env node
/**
 * The Excel add-in's deployment configuration: one environment variable per value, read at build
 * time (excel-addin/webpack.config.js), and the manifest made from it.
 *
 *   BUDGETLINE_ADDIN_URL   https address where dist/excel-addin/ is served (default https://localhost:3000)
 *   BUDGETLINE_CLIENT_ID   Application (client) ID of the district's Entra ID app registration
 *                          (default: none, so nobody is verified and people pick their name)
 *   BUDGETLINE_TENANT_ID   optional: the district's directory (tenant) ID; only its accounts count
 *                          as verified, and MSAL signs in against it instead of "organizations"
 *
 * manifest.xml at the root is the development manifest and the template: the build writes
 * dist/excel-addin/manifest.xml from it, with every https://localhost:3000 address moved to
 * BUDGETLINE_ADDIN_URL, the AppDomain set to its origin, and WebApplicationInfo (the legacy Office
 * single sign-on) filled with the client ID, or left out when there is none.
 *
 * `node scripts/addin-config.js` prints the configuration; `node scripts/addin-config.js manifest
 * [file]` writes the manifest (stdout without a file). A bad value stops with a message naming it.
 */
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { URL } = require('node:url');

const TEMPLATE = join(__dirname, '..', 'manifest.xml');
/** The development values manifest.xml is written with. */
const DEV_URL = 'https://localhost:3000';
const PLACEHOLDER_CLIENT_ID = '00000000-0000-0000-0000-000000000000';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class ConfigError extends Error {}

/** The configuration from the environment, checked; throws ConfigError naming the bad variable. */
function readConfig(env = process.env) {
  const raw = (env.BUDGETLINE_ADDIN_URL || DEV_URL).trim();
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`BUDGETLINE_ADDIN_URL "${raw}" is not a URL (e.g. https://budget.district.org)`);
  }
  if (url.protocol !== 'https:')
    throw new ConfigError(
      `BUDGETLINE_ADDIN_URL "${raw}" must be https: Office loads add-ins over https only`,
    );
  if (url.search || url.hash || url.username || url.password)
    throw new ConfigError(
      `BUDGETLINE_ADDIN_URL "${raw}" must be a plain address, without query, fragment or credentials`,
    );
  const addinUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  const clientId = (env.BUDGETLINE_CLIENT_ID || '').trim().toLowerCase();
  if (clientId && !GUID.test(clientId))
    throw new ConfigError(
      `BUDGETLINE_CLIENT_ID "${clientId}" is not an Application (client) ID (a GUID, from the app registration's Overview)`,
    );
  if (clientId === PLACEHOLDER_CLIENT_ID)
    throw new ConfigError(
      "BUDGETLINE_CLIENT_ID is the placeholder GUID: use your app registration's client ID",
    );
  const tenantId = (env.BUDGETLINE_TENANT_ID || '').trim().toLowerCase();
  if (tenantId && !GUID.test(tenantId))
    throw new ConfigError(`BUDGETLINE_TENANT_ID "${tenantId}" is not a directory (tenant) ID (a GUID)`);
  return { addinUrl, clientId, tenantId };
}

/** The manifest for `config`, from the development manifest `template`. */
function renderManifest(template, config) {
  const origin = new URL(config.addinUrl).origin;
  const host = new URL(config.addinUrl).host;
  let xml = template
    .replace(/<AppDomain>https:\/\/localhost:3000<\/AppDomain>/g, `<AppDomain>${origin}</AppDomain>`)
    .replace(/https:\/\/localhost:3000(?=[/"<])/g, config.addinUrl);
  const info = /\n?[ \t]*<WebApplicationInfo>[\s\S]*?<\/WebApplicationInfo>/;
  if (!info.test(xml)) throw new ConfigError('manifest.xml has no WebApplicationInfo to fill in');
  xml = config.clientId
    ? xml.replace(info, (block) =>
        block
          .replace(/<Id>[^<]*<\/Id>/, `<Id>${config.clientId}</Id>`)
          .replace(/<Resource>[^<]*<\/Resource>/, `<Resource>api://${host}/${config.clientId}</Resource>`),
      )
    : xml.replace(info, '');
  if (config.addinUrl !== DEV_URL && /localhost:3000/.test(xml))
    throw new ConfigError('manifest.xml still names localhost:3000 after the addresses were moved');
  return xml;
}

function main(argv) {
  let config;
  try {
    config = readConfig();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(`addin-config: ${e.message}`);
    return 1;
  }
  if (argv[0] === 'manifest') {
    const xml = renderManifest(readFileSync(TEMPLATE, 'utf8'), config);
    if (argv[1]) writeFileSync(argv[1], xml);
    else process.stdout.write(xml);
    return 0;
  }
  console.log(JSON.stringify(config, null, 2));
  return 0;
}

module.exports = { ConfigError, DEV_URL, TEMPLATE, readConfig, renderManifest };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
