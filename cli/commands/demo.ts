/** demo: a sample district taken through the year; see cli/demo/run.ts. */
import { demoReport, runDemo } from '../demo/run';
import { progressBar } from '../context';
import { EXIT, UsageError } from '../errors';
import { out } from '../io';
import { jsonDiagnostic, type GlobalOptions } from '../output';

export async function demoCommand(
  opts: { out: string; schools: string; seed: string },
  global: GlobalOptions,
): Promise<number> {
  const schools = Number(opts.schools);
  const seed = Number(opts.seed);
  if (!Number.isInteger(schools) || schools < 4 || schools > 50)
    throw new UsageError(`--schools ${opts.schools}: give a whole number from 4 to 50`);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed ${opts.seed} is not a whole number`);
  const bar = progressBar(global);
  const run = await runDemo(
    opts.out,
    { schools, seed, board: true },
    {
      now: () => new Date().toISOString(),
      ...(bar.progress ? { progress: bar.progress } : {}),
    },
  );
  bar.stop();
  const ok =
    run.steps.every((s) => s.step === 'validate' || s.ok) && run.startOfYear.steps.every((s) => s.ok);
  if (global.json)
    out(
      `${JSON.stringify(
        {
          command: 'demo',
          ok,
          summary: run.steps.map((s) => `${s.step}: ${s.summary}`).join('\n'),
          workbook: run.workbook,
          export: run.export ?? null,
          boardPacket: run.boardPacket ?? null,
          mistakes: run.district.mistakes,
          startOfYear: {
            current: run.startOfYear.current,
            next: run.startOfYear.next,
            steps: run.startOfYear.steps.map((s) => ({
              step: s.step,
              ok: s.ok,
              summary: s.summary,
              details: s.details,
            })),
            balances: run.startOfYear.balances,
          },
          steps: run.steps.map((s) => ({ step: s.step, ok: s.ok, summary: s.summary, details: s.details })),
          diagnostics: run.steps.flatMap((s) => s.diagnostics.map(jsonDiagnostic)),
        },
        null,
        2,
      )}\n`,
    );
  else out(`${demoReport(run)}\n`);
  // The demo's deliberate mistakes are the point of it: it fails only when a step itself fails.
  return ok ? EXIT.ok : EXIT.fatal;
}
