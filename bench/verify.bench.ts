/**
 * bench verify: lines per second through the core's whole-district verification (verifyDistrict) of
 * a district of 1,000,000 approved lines (500 sites of 2,000 lines): the chain, its replay, each
 * site's content hashed against its approval, and Approved Lines hashed against the approvals.
 */
import {
  GENESIS_HASH,
  compareContentLines,
  contentHash,
  makeEntry,
  replayChain,
  verifyDistrict,
  type ApprovedCopy,
  type AuditEntry,
  type ContentLine,
  type VerifySiteInput,
} from '../core';
import { bestRate, report, rng } from './util';

const SITES = 500;
const PER_SITE = 2_000;

export default function run(): void {
  const r = rng(11);
  const contents: VerifySiteInput[] = [];
  const copies = new Map<string, ApprovedCopy>();
  const log: AuditEntry[] = [];
  let prev = GENESIS_HASH;
  const add = (site: string, action: 'submit' | 'approve', hash: string): void => {
    const e = makeEntry({
      at: '2026-05-01T10:00:00Z',
      site,
      action,
      actor: action === 'submit' ? `builder${site}@district.org` : 'approver@district.org',
      role: action === 'submit' ? 'builder' : 'approver',
      identity: 'verified',
      contentHash: hash,
      comment: '',
      prevHash: prev,
    });
    log.push(e);
    prev = e.hash;
  };
  for (let s = 0; s < SITES; s++) {
    const site = String(s + 1).padStart(3, '0');
    const lines: ContentLine[] = [];
    for (let i = 0; i < PER_SITE; i++)
      lines.push({
        account: `199-11-61${String(Math.floor(r() * 100)).padStart(2, '0')}-00-${site}-7-11-000`,
        cents: Math.floor(r() * 10_000_000),
        fte: i % 10 === 0 ? 1000 : 0,
        description: `Line ${i} of site ${site}`,
      });
    const hash = contentHash(lines);
    add(site, 'submit', hash);
    add(site, 'approve', hash);
    contents.push({ site, lines });
    // Approved Lines holds the copy in canonical order, as the approve step writes it.
    copies.set(site, { site, hashes: [hash], lines: [...lines].sort(compareContentLines), unreadable: 0 });
  }
  const sites = contents.map((c) => c.site);
  const stored = Object.fromEntries(replayChain(log).sites);
  let approved = 0;
  let cpuBest = 0;
  const rate = bestRate(SITES * PER_SITE, () => {
    const cpu = process.cpuUsage();
    const v = verifyDistrict({
      log,
      state: { kind: 'present', sites: stored, lastAuditHash: prev },
      sites,
      contents,
      approvedLines: copies,
    });
    const used = process.cpuUsage(cpu);
    cpuBest = Math.max(cpuBest, (SITES * PER_SITE) / ((used.user + used.system) / 1e6));
    approved = v.approvedSites.length;
  });
  if (approved !== SITES) throw new Error(`bench verify: ${approved} of ${SITES} sites verified`);
  report('verify', rate, 'lines/s');
  // Per second of CPU time: the same work without the wait for a core on a shared machine.
  report('verify-cpu', cpuBest, 'lines/cpu-s');
}
