/**
 * The Budgetline command line over .xlsx district workbooks.
 *
 *   budgetline <command> [options]          (built: dist/cli/budgetline.js; in the repository also
 *   npm run cli -- <command> [options]       through tsx, from these sources)
 *
 * Exit status (EXIT in ./errors): 0 no fatal finding; 1 fatal findings or the operation refused;
 * 2 usage error or a file that cannot be used; 3 internal error (a bug: please report it).
 *
 * Each command is thin: parse the arguments, open the workbook, call one core operation, print. The
 * command modules are loaded only when their command runs, so `--help` and `--version` start fast and
 * a command that does not touch a workbook never loads ExcelJS.
 */
import { Command, CommanderError, Option } from 'commander';
import { version } from '../package.json';
import { describeError, EXIT, UsageError } from './errors';
import { err, io, out, withIo, type CliIo } from './io';
import type { GlobalOptions } from './output';
import { PROPOSE_FIELDS } from './propose-fields';

type Run = (global: GlobalOptions) => Promise<number>;

/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, so --help stays fast */
/** Each command's module, loaded when its command runs (the workbook ones load ExcelJS). */
const load = {
  workbook: () => require('./commands/workbook') as typeof import('./commands/workbook'),
  import: () => require('./commands/import') as typeof import('./commands/import'),
  workflow: () => require('./commands/workflow') as typeof import('./commands/workflow'),
  consolidate: () => require('./commands/consolidate') as typeof import('./commands/consolidate'),
  export: () => require('./commands/export') as typeof import('./commands/export'),
  rollForward: () => require('./commands/roll-forward') as typeof import('./commands/roll-forward'),
  demo: () => require('./commands/demo') as typeof import('./commands/demo'),
  projection: () => require('./commands/projection') as typeof import('./commands/projection'),
  proposals: () => require('./commands/proposals') as typeof import('./commands/proposals'),
  actuals: () => require('./commands/actuals') as typeof import('./commands/actuals'),
  forecast: () => require('./commands/forecast') as typeof import('./commands/forecast'),
  board: () => require('./commands/board') as typeof import('./commands/board'),
  report: () => require('./commands/report') as typeof import('./commands/report'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The export formats' ids, for the help (core/export/formats holds them; listed here to keep --help light). */
const FORMAT_IDS = ['generic-csv', 'erp-budget', 'ca-sacs-gl', 'tx-budget-fixed'] as const;

/** --unapproved: what to do with sites not approved (consolidate, projection, proposals, scenarios). */
function unapprovedOption(fallback: 'exclude' | 'include-marked', help = 'sites not approved'): Option {
  return new Option('--unapproved <choice>', help).choices(['exclude', 'include-marked']).default(fallback);
}

/** A workbook file named among the values of a variadic option (`--site 101 102 book.xlsx`). */
const WORKBOOK_FILE = /\.(xlsx|xlsm|xls|csv)$/i;

/**
 * `validate --site 101 102 book.xlsx`: the variadic --site took the workbook too. Gives it back: the
 * workbook is the first value that names a workbook file. Also reads `--site 101,102`.
 */
export function splitSites(
  workbook: string | undefined,
  sites: readonly string[] | undefined,
): { workbook: string; sites: string[] } {
  const values = (sites ?? []).flatMap((s) => s.split(',')).map((s) => s.trim());
  let file = workbook;
  if (file === undefined) {
    const i = values.findIndex((v) => WORKBOOK_FILE.test(v));
    if (i < 0)
      throw new UsageError("missing required argument 'workbook' (the district workbook, a .xlsx file)");
    file = values.splice(i, 1)[0] as string;
  }
  return { workbook: file, sites: values.filter((v) => v !== '') };
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('budgetline')
    .description(
      'Build a K-12 district budget in .xlsx workbooks: validate, allocate, approve, consolidate, export.',
    )
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help (also: budgetline <command> --help)')
    .option(
      '--json',
      'print one JSON object: {command, ok, summary, counts, diagnostics: [{code, severity, sheet, cell, message, remedy}]}',
    )
    .option('--explain', 'show each finding with its account string, the wrong part marked, and the remedy')
    .showHelpAfterError('(run "budgetline <command> --help" for the options)')
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ writeOut: (s) => out(s), writeErr: (s) => err(s) })
    .addHelpText(
      'after',
      `
Global options may come before or after the command: budgetline --json validate book.xlsx.
Exit status: 0 no fatal finding, 1 fatal findings or the operation refused, 2 usage error or a file
that cannot be used, ${EXIT.internal} internal error (please report it; BUDGETLINE_DEBUG=1 shows where).`,
    );

  const act = (cmd: Command, run: Run): Promise<void> =>
    (async () => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      try {
        setExit(await run({ json: g.json === true, explain: g.explain === true }));
      } catch (e) {
        const { message, exit } = describeError(e);
        if (io().env?.BUDGETLINE_DEBUG && e instanceof Error) err(`${e.stack ?? ''}\n`);
        err(`budgetline ${cmd.name()}: ${message}\n`);
        if (g.json)
          out(
            `${JSON.stringify({ command: cmd.name(), ok: false, error: message, summary: message, diagnostics: [] }, null, 2)}\n`,
          );
        setExit(exit);
      }
    })();

  const command = (name: string): Command =>
    program
      .command(name)
      .exitOverride()
      .configureOutput({ writeOut: (s) => out(s), writeErr: (s) => err(s) });

  command('init')
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
      return act(this, async (g) => load.workbook().init(file, o, g));
    });

  command('import')
    .description(
      "bring lines from a CSV (last year's ERP budget) into a site's sheet (--sheet) or every site's (--by-site), then validate",
    )
    .argument('<workbook>', 'the district workbook')
    .argument('<csv>', 'the CSV file')
    .option('--sheet <site>', 'the site: its code, name or sheet name')
    .option(
      '--by-site',
      "one extract holding every site's lines: each line into its site's sheet, all or nothing",
    )
    .option(
      '--site-column <header>',
      "with --by-site: the column naming each line's site (default a Site column, else the account's site segment)",
    )
    .option(
      '--map <mapping>',
      'columns, Column=CSV header: "Account=GL Acct,Amount=FY25 Budget,Description=Desc"',
    )
    .option('--delimiter <char>', 'CSV field separator', ',')
    .addOption(
      new Option(
        '--encoding <name>',
        "the CSV's character encoding (default: detected: a byte-order mark, else UTF-8 when the bytes are UTF-8, else Windows-1252)",
      ).choices(['utf-8', 'utf-16le', 'utf-16be', 'windows-1252']),
    )
    .option('--replace', "replace the site's lines instead of adding after them")
    .action(function (this: Command, file: string, csv: string) {
      const o = this.opts<import('./commands/import').ImportOptions>();
      return act(this, async (g) => load.import().importCommand(file, csv, o, g));
    });

  command('validate')
    .description('check every site sheet (or --site ones): account strings, amounts, positions, allocations')
    .argument('[workbook]', 'the district workbook')
    .option('--site <code...>', 'only these sites (--site 101 102, or --site 101,102)')
    .option('--check', 'report the findings without marking cells: the workbook is not written')
    .action(function (this: Command, file: string | undefined) {
      const o = this.opts<{ site?: string[]; check?: boolean }>();
      const { workbook, sites } = splitSites(file, o.site);
      return act(this, async (g) =>
        load
          .workbook()
          .validate(
            workbook,
            { ...(sites.length ? { site: sites } : {}), ...(o.check ? { check: true } : {}) },
            g,
          ),
      );
    });

  command('allocate')
    .description('compute the allocations from the Formula sheet')
    .argument('<workbook>')
    .action(function (this: Command, file: string) {
      return act(this, async (g) => load.workbook().allocate(file, g));
    });

  for (const [step, description] of [
    ['submit', "submit a site's budget for approval"],
    ['approve', 'approve a submitted budget'],
    ['return', 'return a submitted budget to its site, with a comment'],
  ] as const) {
    command(step)
      .description(description)
      .argument('<workbook>')
      .requiredOption('--site <code>', 'the site')
      .requiredOption('--as <email>', 'who is acting (self-declared, recorded so in the audit log)')
      .option('--comment <text>', step === 'return' ? 'why (required)' : 'a comment for the audit log')
      .option('--receipts <file>', 'append the receipt here (default: <workbook>.receipts.jsonl)')
      .action(function (this: Command, file: string) {
        const o = this.opts<{ site: string; as: string; comment?: string; receipts?: string }>();
        return act(this, async (g) => load.workflow().workflow(step, file, o, g));
      });
  }

  command('reopen')
    .description('reopen approved budgets (CFO), with a comment: one site, several, or all of them')
    .argument('<workbook>')
    .option('--site <code>', 'the site')
    .option('--sites <codes>', 'several sites, e.g. 101,102 (one audit entry each)')
    .option('--all', 'every approved site (back to the drawing board)')
    .requiredOption('--as <email>', 'the CFO (listed in Roles as cfo; self-declared, recorded so)')
    .option('--comment <text>', 'why (required; the sites are told)')
    .option('--receipts <file>', 'append the receipts here (default: <workbook>.receipts.jsonl)')
    .action(function (this: Command, file: string) {
      const o = this.opts<{
        site?: string;
        sites?: string;
        all?: boolean;
        as: string;
        comment?: string;
        receipts?: string;
      }>();
      return act(this, async (g) =>
        o.site !== undefined && o.sites === undefined && !o.all
          ? load.workflow().workflow('reopen', file, { ...o, site: o.site }, g)
          : load.board().reopenCommand(file, o, g),
      );
    });

  command('adopt')
    .description(
      "record the board's vote (CFO): adopted (--date, --resolution), the budget frozen as the original budget; or --not-adopted with the board's --comment",
    )
    .argument('<workbook>')
    .option('--date <YYYY-MM-DD>', 'the date of the board vote')
    .option('--resolution <number>', "the board's resolution number")
    .option('--not-adopted', 'the board did not adopt: the budget returns to revision')
    .option('--comment <text>', "the board's comment (with --not-adopted)")
    .requiredOption('--as <email>', 'the CFO (listed in Roles as cfo; self-declared, recorded so)')
    .option('--receipts <file>', 'append the receipt here (default: <workbook>.receipts.jsonl)')
    .action(function (this: Command, file: string) {
      const o = this.opts<{
        date?: string;
        resolution?: string;
        notAdopted?: boolean;
        comment?: string;
        as: string;
        receipts?: string;
      }>();
      return act(this, async (g) => load.board().adoptCommand(file, o, g));
    });

  const repeat = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];
  command('amend')
    .description(
      'an amendment to the adopted budget: --add it (or type its row in the Amendments table), --approve it (the approver or the CFO, with --resolution), --apply it (the CFO); audited',
    )
    .argument('<workbook>')
    .requiredOption('--id <id>', 'the amendment, e.g. A-1')
    .option('--add', 'add it as a drafted row of the Amendments table')
    .option('--approve', 'approve it (not the person who drafted it)')
    .option('--apply', 'apply it: the final budget includes it')
    .option('--site <code>', '--add: the site whose budget changes')
    .option('--account <string>', '--add: an account (repeat for several)', repeat)
    .option('--amount <dollars>', '--add: its signed amount, e.g. -1500.00 (repeat, same order)', repeat)
    .option('--reason <text>', '--add: why')
    .option('--resolution <number>', "the board's resolution number (--approve; or in the table)")
    .requiredOption('--as <email>', 'who is acting (self-declared, recorded so)')
    .option('--receipts <file>', 'append the receipt here (default: <workbook>.receipts.jsonl)')
    .action(function (this: Command, file: string) {
      const o = this.opts<{
        id: string;
        add?: boolean;
        approve?: boolean;
        apply?: boolean;
        site?: string;
        account?: string[];
        amount?: string[];
        reason?: string;
        resolution?: string;
        as: string;
        receipts?: string;
      }>();
      return act(this, async (g) => load.board().amendCommand(file, o, g));
    });

  command('consolidate')
    .description('write the Master Budget; several files (one per site) are merged into --out')
    .argument('<workbooks...>')
    .option('--out <file>', 'save to this new workbook (required for several files)')
    .addOption(unapprovedOption('exclude', 'sites not approved'))
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
      return act(this, async (g) => load.consolidate().consolidateCommand(files, o, g));
    });

  command('export')
    .description(
      "export the approved sites' lines for the accounting system (once adopted: the final budget, amendments included)",
    )
    .argument('<workbook>')
    .requiredOption('--format <name>', `one of ${FORMAT_IDS.join(', ')}`)
    .option(
      '--amendments [ids...]',
      'only the applied amendments (all, or the IDs named) as signed changes, for a system that already has the adopted budget',
    )
    .option('--out <file>', 'where to write (default: beside the workbook)')
    .option('--force', 'replace an existing output file')
    .option('--receipts <file>', 'append the receipt here (default: <workbook>.receipts.jsonl)')
    .requiredOption('--as <email>', 'the CFO (listed in Roles as cfo; self-declared)')
    .action(function (this: Command, file: string) {
      const o = this.opts<{
        format: string;
        amendments?: true | string[];
        out?: string;
        as: string;
        force?: boolean;
        receipts?: string;
      }>();
      return act(this, async (g) => load.export().exportCommand(file, o, g));
    });

  command('verify')
    .description('check the audit chain and that approved budgets are unchanged')
    .argument('<workbook>')
    .requiredOption('--as <email>', 'the CFO (listed in Roles as cfo; self-declared)')
    .option(
      '--receipts <file>',
      'also check the audit chain against these receipts (kept outside the workbook)',
    )
    .action(function (this: Command, file: string) {
      const o = this.opts<{ as: string; receipts?: string }>();
      return act(this, async (g) => load.workbook().verify(file, o, g));
    });

  command('status')
    .description(
      "a table of the sites and their states; with --site, the site's allocated / planned / remaining, its findings and what --as may do",
    )
    .argument('<workbook>')
    .option('--site <code>', 'the site to show')
    .option('--as <email>', 'whose rights to show')
    .action(function (this: Command, file: string) {
      const o = this.opts<{ site?: string; as?: string }>();
      return act(this, async (g) => load.workbook().status(file, o, g));
    });

  command('projection')
    .description('the budget year and the two years after it, per fund, each change explained (read-only)')
    .argument('<workbook>')
    .addOption(unapprovedOption('include-marked', 'sites not approved'))
    .action(function (this: Command, file: string) {
      const o = this.opts<{ unapproved?: string }>();
      return act(this, async (g) => load.projection().projectionCommand(file, o, g));
    });

  command('report')
    .description('the board packet: report sheets with charts, as a PDF (LibreOffice) and/or .xlsx')
    .argument('<workbook>')
    .option('--out <file>', 'the PDF to write (board-packet.pdf)')
    .option('--xlsx <file>', 'also write the report sheets alone to this .xlsx')
    .option('--save', 'also write the report sheets into the workbook itself (left as it is by default)')
    .addOption(
      new Option('--status <status>', 'the budget with the board')
        .choices(['draft', 'proposed', 'adopted'])
        .default('draft'),
    )
    .option('--adopted-on <date>', 'with --status adopted: the date of the board vote (YYYY-MM-DD)')
    .option('--resolution <number>', 'with --status adopted: the board resolution')
    .option(
      '--prior <workbook>',
      "last year's district workbook, for prior year vs proposed (approved sites)",
    )
    .addOption(unapprovedOption('exclude', 'sites not approved (default: left out, named on the cover)'))
    .requiredOption('--as <email>', 'the CFO (listed in Roles as cfo; self-declared)')
    .action(function (this: Command, file: string) {
      const o = this.opts<import('./commands/report').ReportOptions>();
      return act(this, async (g) => load.report().reportCommand(file, o, g));
    });

  command('proposals')
    .description(
      'each budget-change proposal with its status, weighted score, rank and the funding line (read-only)',
    )
    .argument('<workbook>')
    .addOption(unapprovedOption('include-marked', 'sites not approved, for the money available'))
    .action(function (this: Command, file: string) {
      const o = this.opts<{ unapproved?: string }>();
      return act(this, async (g) => load.proposals().proposalsCommand(file, o, g));
    });

  command('decide')
    .description(
      "accept, reject or defer a proposal (the CFO, for leadership), with a reason: an accepted proposal's lines go into its sites' sheets, and leave them again if it is rejected or deferred; audited",
    )
    .argument('<workbook>')
    .requiredOption('--proposal <id>', 'the proposal')
    .option('--accept', 'accept it')
    .option('--reject', 'reject it')
    .option('--defer', 'defer it')
    .requiredOption('--reason <text>', 'why (required; the owner and the board read it)')
    .requiredOption('--as <email>', 'the CFO (listed in Roles as cfo; self-declared, recorded so)')
    .option('--receipts <file>', 'where to add the receipt (default: beside the workbook)')
    .action(function (this: Command, file: string) {
      const o = this.opts<{
        proposal: string;
        accept?: boolean;
        reject?: boolean;
        defer?: boolean;
        reason: string;
        as: string;
        receipts?: string;
      }>();
      return act(this, async (g) => load.proposals().decideCommand(file, o, g));
    });

  const proposeCmd = command('propose')
    .description(
      'a budget owner submits a draft proposal (or adds one with the options below and submits it); --review: leadership takes it under review. Audited, with a receipt',
    )
    .argument('<workbook>')
    .requiredOption('--id <id>', 'the proposal ID')
    .requiredOption('--as <email>', 'who submits it: a builder of its site (or the CFO); self-declared')
    .option('--review', 'take a submitted proposal under review (the CFO)')
    .option('--comment <text>', 'a note for the audit row')
    .option('--receipts <file>', 'where to add the receipt (default: beside the workbook)');
  for (const [, flag, help] of PROPOSE_FIELDS) proposeCmd.option(flag, help);
  proposeCmd.action(function (this: Command, file: string) {
    const o = this.opts<Record<string, string | boolean | undefined> & { id: string; as?: string }>();
    return act(this, async (g) => load.proposals().proposeCommand(file, o, g));
  });

  command('scenarios')
    .description(
      'the base and each scenario per fund for the budget year plus two (read-only); --adopt NAME: the CFO adopts one into the budget (audited)',
    )
    .argument('<workbook>')
    .addOption(unapprovedOption('include-marked', 'sites not approved'))
    .option('--adopt <scenario>', "apply this scenario's changes to the budget (the CFO)")
    .option('--reason <text>', 'why it is adopted (with --adopt)')
    .option('--as <email>', 'the CFO (with --adopt)')
    .option('--receipts <file>', 'where to add the receipt (with --adopt)')
    .action(function (this: Command, file: string) {
      const o = this.opts<{
        unapproved?: string;
        adopt?: string;
        reason?: string;
        as?: string;
        receipts?: string;
      }>();
      return act(this, async (g) => load.proposals().scenariosCommand(file, o, g));
    });

  command('actuals')
    .description(
      'import year-to-date actuals and encumbrances (all or nothing), then budget vs actual per site and fund',
    )
    .argument('<workbook>')
    .argument(
      '[extract]',
      "the accounting system's CSV (without it: the report from the Actuals sheet, read-only)",
    )
    .option('--as-of <date>', 'the date the extract is as of (YYYY-MM-DD), within the fiscal year')
    .option('--delimiter <char>', 'CSV field separator', ',')
    .addOption(
      new Option('--encoding <name>', "the CSV's character encoding (default: detected)").choices([
        'utf-8',
        'utf-16le',
        'utf-16be',
        'windows-1252',
      ]),
    )
    .action(function (this: Command, file: string, extract: string | undefined) {
      const o = this.opts<{ asOf?: string; delimiter?: string; encoding?: string }>();
      return act(this, async (g) => load.actuals().actualsCommand(file, extract, o, g));
    });

  command('forecast')
    .description(
      "the current year's forecast per line (actual + encumbered + the rest, each saying how) and the estimated ending fund balances (read-only)",
    )
    .argument('<workbook>')
    .action(function (this: Command, file: string) {
      return act(this, async (g) => load.forecast().forecastCommand(file, g));
    });

  command('roll-forward')
    .description(
      "next year's workbook from this one, with the Cost Changes effective next year as their own lines (a dry run without --out; --explain lists the changes per site)",
    )
    .argument('<workbook>')
    .option('--out <file>', "next year's new workbook")
    .option('--salary-increase <percent>', 'e.g. 2.5 or 2.5% (default: Setup "Salary increase")')
    .option('--force', 'replace an existing --out file')
    .action(function (this: Command, file: string) {
      const o = this.opts<{ out?: string; salaryIncrease?: string; force?: boolean }>();
      return act(this, async (g) => load.rollForward().rollForwardCommand(file, o, g));
    });

  command('demo')
    .description('build a sample district of about 40 schools and take it through the year, step by step')
    .option('--out <dir>', 'folder for the workbook and the export', 'demo-output')
    .option('--schools <n>', 'number of schools', '40')
    .option('--seed <n>', 'seed of the generator', '2027')
    .action(function (this: Command) {
      const o = this.opts<{ out: string; schools: string; seed: string }>();
      return act(this, async (g) => load.demo().demoCommand(o, g));
    });

  return program;
}

/**
 * Runs the command line on `argv` (as process.argv: node, script, then the arguments) and resolves to
 * the exit status; nothing is written but through `streams` (the process's by default).
 */
export async function main(argv: readonly string[], streams?: CliIo): Promise<number> {
  const run = async (): Promise<number> => {
    let exit: number = EXIT.ok;
    const program = buildProgram((code) => (exit = code));
    if (argv.length <= 2) {
      program.outputHelp();
      return EXIT.usage;
    }
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
      const { message, exit: code } = describeError(e);
      err(`budgetline: ${message}\n`);
      return code;
    }
    return exit;
  };
  return streams ? withIo(streams, run) : run();
}
