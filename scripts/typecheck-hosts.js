#!/usr/bin/env node
/** Type-checks each host under its own tsconfig (DOM and host types live only there). */
const { existsSync } = require('node:fs');
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
for (const host of ['cli', 'ui', 'excel-addin', 'sheets-addon']) {
  const config = join(root, host, 'tsconfig.json');
  if (!existsSync(config)) continue;
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', config, '--noEmit'], {
    cwd: root,
    stdio: 'inherit',
  });
}
