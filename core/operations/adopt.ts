/**
 * adoptScenario: the CFO adopts a named scenario of the Scenarios sheet into the budget — a
 * deliberate, audited step (the base is untouched until then).
 */
import { diag } from '../diagnostics';
import type { Operation } from './api';
import { cfoOf, refuse } from './common';
import type { AdoptScenarioArgs, AdoptScenarioResult } from './propose';
import { readWorkbook } from '../workbook/read';

export const adoptScenario: Operation<AdoptScenarioArgs, AdoptScenarioResult> = {
  name: 'adoptScenario',
  reads: () => ({ sheets: 'all', state: true, user: true }),
  run(snap, args, options) {
    const wb = readWorkbook(snap);
    const cfo = cfoOf(wb, snap.user, options, 'adopt');
    if ('refused' in cfo)
      return { result: refuse([cfo.refused], `Scenario ${args.scenario} was not adopted.`) };
    return {
      result: refuse(
        [diag('BL801', { sheet: 'Scenarios', purpose: 'adopting scenarios (not yet available)' })],
        `Scenario ${args.scenario} was not adopted: adoption is not available yet.`,
      ),
    };
  },
};
