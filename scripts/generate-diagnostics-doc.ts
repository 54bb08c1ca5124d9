/** Writes docs/diagnostics.md from the catalogue and the worked examples. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderDiagnosticsDoc } from '../test/fixtures/diagnostics';

const file = join(__dirname, '..', 'docs', 'diagnostics.md');
writeFileSync(file, renderDiagnosticsDoc());
console.log(`wrote ${file}`);
