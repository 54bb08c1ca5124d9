#!/usr/bin/env node
/**
 * `npm run build`: compiles the command line (dist/cli/budgetline.js, scripts/build-cli.js), then
 * bundles each host that has a webpack config (excel-addin/, sheets-addon/), in production mode, into
 * dist/. The browser and node:vm tests load these built files; the CLI tests spawn the built bin.
 */
const { existsSync } = require('node:fs');
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
execFileSync(process.execPath, [join(__dirname, 'build-cli.js')], { cwd: root, stdio: 'inherit' });
for (const host of ['excel-addin', 'sheets-addon']) {
  const config = join(root, host, 'webpack.config.js');
  if (!existsSync(config)) continue;
  console.log(`building ${host}`);
  execFileSync(
    process.execPath,
    [require.resolve('webpack-cli/bin/cli.js'), '--config', config, '--mode', 'production'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}
