#!/usr/bin/env node
/**
 * `npm run build:cli` (also run by `prepare` and `npm run build`): compiles the command line to one
 * JavaScript file, dist/cli/budgetline.js, the package's `budgetline` bin. esbuild bundles cli/ and core/;
 * the run-time dependencies (package.json "dependencies": ExcelJS, commander, csv-parse, ...) stay
 * outside and are loaded from node_modules, each only by the commands that need it.
 */
const { chmodSync, existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const outfile = join(root, 'dist', 'cli', 'budgetline.js');
// An installed package (npm pack → npm install) holds the compiled bin and no sources: nothing to do,
// should npm run `prepare` there.
if (!existsSync(join(root, 'cli', 'bin.ts')) && existsSync(outfile)) process.exit(0);
const esbuild = require('esbuild');

esbuild.buildSync({
  entryPoints: [join(root, 'cli', 'bin.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
console.log(`built ${outfile.slice(root.length + 1)}`);
