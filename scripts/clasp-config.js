#!/usr/bin/env node
/**
 * Writes .clasp.json (gitignored: it names one district's script project) from .clasp.json.template
 * with BUDGETLINE_SCRIPT_ID, the Apps Script project's Script ID (Project Settings › IDs). `npm run
 * push:sheets` runs it first: with BUDGETLINE_SCRIPT_ID set it (re)writes .clasp.json; without it an
 * existing .clasp.json is used as it is; with neither it stops and says what to do.
 *
 *   node scripts/clasp-config.js [--out dir]   (dir defaults to the repository root)
 */
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = join(__dirname, '..');
const TEMPLATE = join(root, '.clasp.json.template');
/** Apps Script IDs are long base64url strings (about 57 characters). */
const SCRIPT_ID = /^[A-Za-z0-9_-]{20,}$/;

function render(template, scriptId) {
  if (!SCRIPT_ID.test(scriptId))
    throw new Error(
      `BUDGETLINE_SCRIPT_ID "${scriptId}" is not an Apps Script Script ID (Project Settings › IDs in the Apps Script editor)`,
    );
  const text = template.replace(/\$\{BUDGETLINE_SCRIPT_ID\}/g, scriptId);
  JSON.parse(text); // the template stays JSON
  return text;
}

function main(argv) {
  const i = argv.indexOf('--out');
  const dir = i >= 0 && argv[i + 1] ? resolve(argv[i + 1]) : root;
  const out = join(dir, '.clasp.json');
  const id = (process.env.BUDGETLINE_SCRIPT_ID || '').trim();
  if (!id) {
    if (existsSync(out)) {
      console.log(`clasp-config: using ${out} as it is (set BUDGETLINE_SCRIPT_ID to rewrite it)`);
      return 0;
    }
    console.error(
      'clasp-config: no .clasp.json: set BUDGETLINE_SCRIPT_ID to the Script ID of your Apps Script project (README, "Google Sheets add-on")',
    );
    return 1;
  }
  try {
    writeFileSync(out, render(readFileSync(TEMPLATE, 'utf8'), id));
  } catch (e) {
    console.error(`clasp-config: ${e.message}`);
    return 1;
  }
  console.log(`clasp-config: wrote ${out} for script ${id}`);
  return 0;
}

module.exports = { render, TEMPLATE };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
