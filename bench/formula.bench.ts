/**
 * formula-read-compute: the demo district's Formula sheet (per pupil, weighted, ratio / fixed /
 * banded staffing rules) read with readFormulaRules and run with computeAllocations over 2,000
 * sites, as `allocate` does: sites per second.
 */
import { computeAllocations, readFormulaRules } from '../core/allocations/formulas';
import type { Site } from '../core/allocations/tables';
import { readBenefits, readJobTypes, staffingOf } from '../core/budget/staffing';
import { generateDemo } from '../cli/demo/generate';
import { bestRate, report, rng } from './util';

const SITES = 2000;
const SEGMENTS = [
  { key: 'fund', name: 'Fund', length: 3, chars: 'digits' as const },
  { key: 'function', name: 'Function', length: 4, chars: 'digits' as const },
  { key: 'object', name: 'Object', length: 3, chars: 'digits' as const },
  { key: 'program', name: 'Program', length: 3, chars: 'digits' as const },
  { key: 'site', name: 'Site', length: 3, chars: 'digits' as const },
];

export default function (): void {
  const demo = generateDemo({ schools: 4 });
  const r = rng(2027);
  const sites: Site[] = [];
  for (let i = 0; i < SITES; i++) {
    const enrollment = 100 + Math.floor(r() * 1500);
    sites.push({
      code: String(i + 1).padStart(4, '0'),
      name: `School ${i + 1}`,
      enrollment,
      englishLearners: Math.floor(enrollment * r() * 0.3),
      specialEducation: Math.floor(enrollment * r() * 0.15),
      lowIncome: Math.floor(enrollment * r() * 0.8),
      gradeBand: ['elementary', 'middle', 'high'][i % 3] as string,
      titleI: r() < 0.4,
    });
  }
  const packages = readBenefits(demo.tables.benefits).rows;
  const staffing = staffingOf(readJobTypes(demo.tables.jobTypes, packages).rows, packages);
  let allocations = 0;
  const rate = bestRate(SITES, () => {
    const rules = readFormulaRules(demo.tables.formula, sites, SEGMENTS, { fteStep: 100 });
    if (rules.diagnostics.length) throw new Error(`formula bench: ${rules.diagnostics[0]?.message}`);
    allocations = computeAllocations(sites, rules.rows, staffing).allocations.length;
  });
  if (allocations < SITES) throw new Error('formula bench: expected an allocation per site and source');
  report('formula-read-compute', rate, 'sites/s');
}
