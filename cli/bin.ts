/**
 * The `budgetline` executable (compiled to dist/cli/budgetline.js by `npm run build:cli`): runs main on
 * the process's arguments and streams and sets the exit status. A closed stdout (`| head`) ends quietly.
 */
import * as nodeModule from 'node:module';
import { main } from './index';
import { processIo } from './io';

// Node 22.1+ keeps compiled code of the modules a command loads (ExcelJS's many files) between runs.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

void main(process.argv, processIo()).then((code) => {
  process.exitCode = code;
});
