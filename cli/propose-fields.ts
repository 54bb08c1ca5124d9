/**
 * The `budgetline propose` options that fill a new proposal's cells, by Proposals column: declared by
 * cli/index.ts (eagerly, with the command) and read by commands/proposals.ts.
 */
import type { ProposalField } from '../core';

/** The `propose` options that fill a new proposal's cells, by Proposals column. */
export const PROPOSE_FIELDS: readonly (readonly [ProposalField, string, string])[] = [
  ['title', '--title <text>', 'the title'],
  ['owner', '--owner <text>', 'the department or program proposing it'],
  ['site', '--site <code>', 'the site whose lines it changes (blank: district-wide, the CFO only)'],
  ['type', '--type <type>', 'addition or reduction'],
  ['category', '--category <name>', 'a category of the Proposal Categories list'],
  ['goal', '--goal <text>', 'the strategic goal it serves'],
  ['recurrence', '--recurrence <r>', 'one-time or recurring'],
  ['account', '--account <account>', 'the account string'],
  ['year1', '--budget-year <amount>', 'the budget-year amount (positive)'],
  ['year2', '--year2 <amount>', 'the amount in the year after (recurring)'],
  ['year3', '--year3 <amount>', 'the amount two years after (recurring)'],
  ['fte', '--fte <n>', 'positions it adds or cuts'],
  ['impact', '--impact <text>', 'the expected impact'],
  ['evidence', '--evidence <text>', 'the evidence for it'],
  ['jobType', '--job-type <code>', 'the job type of the staff it adds (accepted: Position rows)'],
  ['source', '--funding-source <name>', 'the funding source whose allocation to the site it changes'],
];

/** The commander option name of a PROPOSE_FIELDS flag ("--budget-year <amount>" → "budgetYear"). */
export const optionKey = (flag: string): string =>
  (flag.split(' ')[0] ?? '').replace(/^--/, '').replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
