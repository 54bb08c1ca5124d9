/**
 * The `budgetline` executable (compiled to dist/cli/budgetline.js by `npm run build:cli`): runs main on
 * the process's arguments and streams and sets the exit status. A closed stdout (`| head`) ends quietly.
 */
import { main } from './index';
import { processIo } from './io';

void main(process.argv, processIo()).then((code) => {
  process.exitCode = code;
});
