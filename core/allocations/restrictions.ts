/**
 * Text forms of an allocation's fixed segments and restrictions, as a district writes them in the
 * Allocations and Formula rules tables:
 *   fixed segments   fund=211; programIntent=24     (also "fund 211", "Program intent: 24")
 *   allowed codes    6100-6399, 6411, 64XX
 *   maximum share    administration: function 21-23 <= 10%; object 6411 ≤ 5%
 */
import type { Where } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import { parsePattern, type Pattern } from '../accounts/patterns';
import type { SegmentDef } from '../accounts/types';
import { normalizeHeader } from '../tables';
import { parsePercent } from '../budget/units';
import type { CodeRestriction, MaxShare, SegmentFix } from './types';

/** A segment by key, display name or synonym, case- and punctuation-insensitively. */
function findSegment(segments: readonly SegmentDef[], name: string): SegmentDef | undefined {
  const n = normalizeHeader(name);
  return segments.find(
    (s) =>
      normalizeHeader(s.key) === n ||
      normalizeHeader(s.name) === n ||
      (s.synonyms ?? []).some((x) => normalizeHeader(x) === n),
  );
}

const knownText = (segments: readonly SegmentDef[]): string => segments.map((s) => s.key).join(', ');

export function parseFixed(
  text: string,
  segments: readonly SegmentDef[],
  where: Where,
): { value: SegmentFix[] } | { diagnostic: Diagnostic } {
  const out: SegmentFix[] = [];
  const bad = (problem: string): { diagnostic: Diagnostic } => ({
    diagnostic: diag('BL507', { shown: text, problem }, where),
  });
  for (const part of text.split(/[;\n]/)) {
    const p = part.trim();
    if (!p) continue;
    const m = /^(.+?)\s*(?:=|:|\s)\s*([0-9A-Za-z]+)$/.exec(p);
    if (!m) return bad(`"${p}" is not segment=code`);
    const seg = findSegment(segments, m[1] as string);
    if (!seg) return bad(`there is no segment "${m[1] as string}" (segments: ${knownText(segments)})`);
    const code = m[2] as string;
    if (code.length !== seg.length)
      return bad(`${seg.key} code "${code}" should have ${seg.length} characters`);
    if (out.some((f) => f.segment === seg.key)) return bad(`${seg.key} is fixed twice`);
    out.push({ segment: seg.key, code });
  }
  return { value: out };
}

function parsePatterns(
  text: string,
  segment: SegmentDef,
  what: string,
  where: Where,
): { value: Pattern[] } | { diagnostic: Diagnostic } {
  const out: Pattern[] = [];
  for (const part of text.split(/[,;\n]/)) {
    if (!part.trim()) continue;
    const r = parsePattern(part, segment.length, segment.chars);
    if ('error' in r)
      return {
        diagnostic: diag('BL508', { what, shown: text, problem: `${part.trim()}: ${r.error}` }, where),
      };
    out.push(r.pattern);
  }
  if (out.length === 0)
    return { diagnostic: diag('BL508', { what, shown: text, problem: 'no codes given' }, where) };
  return { value: out };
}

export function parseAllowed(
  text: string,
  segmentName: string,
  segments: readonly SegmentDef[],
  where: Where,
): { value: CodeRestriction } | { diagnostic: Diagnostic } {
  const seg = findSegment(segments, segmentName);
  if (!seg)
    return {
      diagnostic: diag(
        'BL508',
        {
          what: `allowed ${segmentName} codes`,
          shown: text,
          problem: `the chart has no ${segmentName} segment`,
        },
        where,
      ),
    };
  const p = parsePatterns(text, seg, `allowed ${seg.key} codes`, where);
  if ('diagnostic' in p) return p;
  return { value: { segment: seg.key, patterns: p.value, text: p.value.map((x) => x.text).join(', ') } };
}

export function parseMaxShares(
  text: string,
  segments: readonly SegmentDef[],
  where: Where,
): { value: MaxShare[] } | { diagnostic: Diagnostic } {
  const out: MaxShare[] = [];
  for (const part of text.split(/[;\n]/)) {
    const p = part.trim();
    if (!p) continue;
    const bad = (problem: string): { diagnostic: Diagnostic } => ({
      diagnostic: diag('BL508', { what: 'maximum share', shown: p, problem }, where),
    });
    const m = /^(?:([^:]+):\s*)?([A-Za-z][\w ]*?)\s+(.+?)\s*(?:<=|≤|=<)\s*(.+)$/.exec(p);
    if (!m) return bad('write it as: label: segment codes <= percent');
    const seg = findSegment(segments, m[2] as string);
    if (!seg) return bad(`there is no segment "${m[2] as string}" (segments: ${knownText(segments)})`);
    const pats = parsePatterns(m[3] as string, seg, 'maximum share', where);
    if ('diagnostic' in pats) return pats;
    const pct = parsePercent((m[4] as string).trim(), where, 'maximum share');
    if (!pct.ok) return bad(`${(m[4] as string).trim()} is not a percentage such as 10%`);
    const label = (m[1] ?? `${seg.key} ${m[3] as string}`).trim();
    out.push({ label, segment: seg.key, patterns: pats.value, max: pct.value, text: p });
  }
  return { value: out };
}
