/**
 * The Budgetline command line over .xlsx district workbooks.
 *
 *   npm run cli -- <command> [options]        (or: node -r tsx/cjs cli/index.ts <command> ...)
 *
 * Exit status: 0 no fatal finding, 1 fatal findings, 2 usage error or unreadable file.
 * Each command is thin: parse the arguments, open the workbook, call one core operation, print.
 */
import { Command, CommanderError, Option } from 'commander';
import { BUILT_IN_FORMATS } from '../core';
import { consolidateCommand } from './commands/consolidate';
import { demoCommand } from './commands/demo';
import { exportCommand } from './commands/export';
import { importCommand } from './commands/import';
import { rollForwardCommand } from './commands/roll-forward';
import { allocate, init, status, validate, verify } from './commands/workbook';
import { workflow, type Step } from './commands/workflow';
import { describeError, EXIT } from './errors';
import type { GlobalOptions } from './output';

type Run = (global: GlobalOptions) => Promise<number>;

function globalOptions(cmd: Command): Command {
  return cmd
    .option(
      '--json',
      'print one JSON object: {command, ok, summary, counts, diagnostics: [{code, severity, sheet, cell, message, remedy}]}',
    )
    .option('--explain', 'show each finding with its account string, the wrong part marked, and the remedy');
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('budgetline')
    .description(
      'Build a K-12 district budget in .xlsx workbooks: validate, allocate, approve, consolidate, export.',
    )
    .showHelpAfterError('(run "budgetline <command> --help" for the options)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  const act = (run: Run) =>
    async function (this: Command): Promise<void> {
      const g = this.opts<GlobalOptions>();
      try {
        setExit(await run({ json: g.json === true, explain: g.explain === true }));
      } catch (e) {
        const { message, exit } = describeError(e);
        if (process.env.BUDGETLINE_DEBUG && e instanceof Error) process.stderr.write(`${e.stack ?? ''}\n`);
        process.stderr.write(`budgetline ${this.name()}: ${message}\n`);
        if (g.json)
          process.stdout.write(
            `${JSON.stringify({ command: this.name(), ok: false, error: message, summary: message, diagnostics: [] }, null, 2)}\n`,
          );
        setExit(exit);
      }
    };

  globalOptions(program.command('init'))
    .description('create a new district workbook from a preset chart')
    .argument('<workbook>', 'the new .xlsx file')
    .addOption(
      new Option('--chart <preset>', 'chart of accounts')
        .choices(['nces', 'texas', 'california'])
        .default('nces'),
    )
    .requiredOption('--fiscal-year <year>', 'fiscal year, e.g. 2027, FY2027 or 2026-27')
    .option('--district <name>', 'district name', 'Sample School District')
    .option('--as <email>', 'the CFO creating it (listed in Roles)')
    .option(
      '--rebuild',
      'build over the district workbook already in the file (the CFO only; resets approvals)',
    )
    .addOption(
      new Option(
        '--account-columns <layout>',
        'site sheets hold the account in one column, or one column per segment (with dropdowns)',
      )
        .choices(['one', 'per-segment'])
        .default('one'),
    )
    .option('--force', 'replace an existing file')
    .action(function (this: Command, file: string) {
      const o = this.opts<{
        chart: string;
        fiscalYear: string;
        district: string;
        accountColumns: string;
        as?: string;
        force?: boolean;
        rebuild?: boolean;
      }>();
      return act((g) => init(file, o, g)).call(this);
    });

  globalOptions(program.command('import'))
    .description("bring lines from a CSV (last year's ERP budget) into a site's sheet, then validate it")
    .argument('<workbook>', 'the district workbook')
    .argument('<csv>', 'the CSV file')
    .requiredOption('--sheet <site>', 'the site: its code, name or sheet name')
    .option(
      '--map <mapping>',
      'columns, Column=CSV header: "Account=GL Acct,Amount=FY25 Budget,Description=Desc"',
    )
    .option('--delimiter <char>', 'CSV field separator', ',')
    .option('--replace', "replace the site's lines instead of adding after them")
    .action(function (this: Command, file: string, csv: string) {
      const o = this.opts<{ sheet: string; map?: string; replace?: boolean; delimiter?: string }>();
      return act((g) => importCommand(file, csv, o, g)).call(this);
    });

  globalOptions(program.command('validate'))
    .description('check every site sheet (or --site ones): account strings, amounts, positions, allocations')
    .argument('<workbook>')
    .option('--site <code...>', 'only these sites')
    .action(function (this: Command, file: string) {
      const o = this.opts<{ site?: string[] }>();
      return act((g) => validate(file, o, g)).call(this);
    });

  globalOptions(program.command('allocate'))
    .description('compute the allocations from the Formula sheet')
    .argument('<workbook>')
    .action(function (this: Command, file: string) {
      return act((g) => allocate(file, g)).call(this);
    });

  for (const [step, description] of [
    ['submit', "submit a site's budget for approval"],
    ['approve', 'approve a submitted budget'],
    ['return', 'return a submitted budget to its site, with a comment'],
    ['reopen', 'reopen an approved budget (CFO), with a comment'],
  ] as const) {
    globalOptions(program.command(step))
      .description(description)
      .argument('<workbook>')
      .requiredOption('--site <code>', 'the site')
      .requiredOption('--as <email>', 'who is acting (self-declared, recorded so in the audit log)')
      .option(
        '--comment <text>',
        step === 'return' || step === 'reopen' ? 'why (required)' : 'a comment for the audit log',
      )
      .option('--receipts <file>', 'append the receipt here (default: <workbook>.receipts.jsonl)')
      .action(function (this: Command, file: string) {
        const o = this.opts<{ site: string; as: string; comment?: string; receipts?: string }>();
        return act((g) => workflow(step as Step, file, o, g)).call(this);
      });
  }

  globalOptions(program.command('consolidate'))
    .description('write the Master Budget; several files (one per site) are merged into --out')
    .argument('<workbooks...>')
    .option('--out <file>', 'save to this new workbook (required for several files)')
    .addOption(
      new Option('--unapproved <choice>', 'sites not approved')
        .choices(['exclude', 'include-marked'])
        .default('exclude'),
    )
    .option('--force', 'replace an existing --out file')
    .option('--receipts <file>', 'append the receipt here (default: <workbook>.receipts.jsonl)')
    .requiredOption('--as <email>', 'the CFO (listed in Roles as cfo; self-declared, recorded so)')
    .action(function (this: Command, files: string[]) {
      const o = this.opts<{
        out?: string;
        unapproved?: string;
        force?: boolean;
        as: string;
        receipts?: string;
      }>();
      return act((g) => consolidateCommand(files, o, g)).call(this);
    });

  globalOptions(program.command('export'))
    .description("export the approved sites' lines for the accounting system")
    .argument('<workbook>')
    .requiredOption('--format <name>', `one of ${BUILT_IN_FORMATS.map((f) => f.id).join(', ')}`)
    .option('--out <file>', 'where to write (default: beside the workbook)')
    .option('--force', 'replace an existing output file')
    .option('--receipts <file>', 'append the receipt here (default: <workbook>.receipts.jsonl)')
    .requiredOption('--as <email>', 'the CFO (listed in Roles as cfo; self-declared)')
    .action(function (this: Command, file: string) {
      const o = this.opts<{ format: string; out?: string; as: string; force?: boolean; receipts?: string }>();
      return act((g) => exportCommand(file, o, g)).call(this);
    });

  globalOptions(program.command('verify'))
    .description('check the audit chain and that approved budgets are unchanged')
    .argument('<workbook>')
    .requiredOption('--as <email>', 'the CFO (listed in Roles as cfo; self-declared)')
    .option(
      '--receipts <file>',
      'also check the audit chain against these receipts (kept outside the workbook)',
    )
    .action(function (this: Command, file: string) {
      const o = this.opts<{ as: string; receipts?: string }>();
      return act((g) => verify(file, o, g)).call(this);
    });

  globalOptions(program.command('status'))
    .description('sites and their states; with --site, its allocations and findings')
    .argument('<workbook>')
    .option('--site <code>')
    .option('--as <email>')
    .action(function (this: Command, file: string) {
      const o = this.opts<{ site?: string; as?: string }>();
      return act((g) => status(file, o, g)).call(this);
    });

  globalOptions(program.command('roll-forward'))
    .description("next year's workbook from this one (a dry run without --out)")
    .argument('<workbook>')
    .option('--out <file>', "next year's new workbook")
    .option('--salary-increase <percent>', 'e.g. 2.5 or 2.5% (default: Setup "Salary increase")')
    .option('--force', 'replace an existing --out file')
    .action(function (this: Command, file: string) {
      const o = this.opts<{ out?: string; salaryIncrease?: string; force?: boolean }>();
      return act((g) => rollForwardCommand(file, o, g)).call(this);
    });

  globalOptions(program.command('demo'))
    .description('build a sample district of about 40 schools and take it through the year, step by step')
    .option('--out <dir>', 'folder for the workbook and the export', 'demo-output')
    .option('--schools <n>', 'number of schools', '40')
    .option('--seed <n>', 'seed of the generator', '2027')
    .action(function (this: Command) {
      const o = this.opts<{ out: string; schools: string; seed: string }>();
      return act((g) => demoCommand(o, g)).call(this);
    });

  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  let exit: number = EXIT.ok;
  const program = buildProgram((code) => (exit = code));
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      )
        return EXIT.ok;
      return EXIT.usage;
    }
    process.stderr.write(`budgetline: ${describeError(e).message}\n`);
    return EXIT.usage;
  }
  if (argv.length <= 2) {
    program.outputHelp();
    return EXIT.usage;
  }
  return exit;
}

if (require.main === module)
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
