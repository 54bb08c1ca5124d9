/**
 * Account trees: a code's parents follow from trailing zeros (2110 → 2100 → 2000), as in hledger;
 * every node keeps its own total and its total with children.
 */
import { compareText } from '../cells';
import type { Cents } from '../money';

/**
 * The parent of a hierarchical code: its last character that is not "0" becomes "0".
 * "2110" → "2100" → "2000" → undefined (a top-level code has no parent); "979Z" → "9790".
 */
export function parentCode(code: string): string | undefined {
  let i = code.length - 1;
  while (i >= 0 && code[i] === '0') i--;
  if (i <= 0) return undefined; // all zeros, or only the first character left: top level
  const p = `${code.slice(0, i)}0${code.slice(i + 1)}`;
  return /^0+$/.test(p) ? undefined : p;
}

/** "2110" → ["2100", "2000"]. */
export function ancestors(code: string): string[] {
  const out: string[] = [];
  for (let p = parentCode(code); p !== undefined; p = parentCode(p)) out.push(p);
  return out;
}

export interface TreeNode {
  readonly code: string;
  /** Number of ancestors: 0 for a top-level code. */
  readonly level: number;
  readonly ownCents: Cents;
  readonly totalCents: Cents;
  readonly fte: number;
  readonly totalFte: number;
}

/**
 * Builds the tree of a segment from its codes' own totals. With `hierarchical` false the nodes are
 * flat (total = own). Nodes are sorted by code, so a parent comes before its children.
 */
export function buildTree(
  own: ReadonlyMap<string, { readonly cents: Cents; readonly fte: number }>,
  hierarchical: boolean,
): TreeNode[] {
  const nodes = new Map<
    string,
    { code: string; level: number; ownCents: Cents; totalCents: Cents; fte: number; totalFte: number }
  >();
  const node = (code: string) => {
    let n = nodes.get(code);
    if (!n) {
      n = {
        code,
        level: hierarchical ? ancestors(code).length : 0,
        ownCents: 0,
        totalCents: 0,
        fte: 0,
        totalFte: 0,
      };
      nodes.set(code, n);
    }
    return n;
  };
  for (const [code, v] of own) {
    const n = node(code);
    n.ownCents += v.cents;
    n.totalCents += v.cents;
    n.fte += v.fte;
    n.totalFte += v.fte;
    if (!hierarchical) continue;
    for (const a of ancestors(code)) {
      const p = node(a);
      p.totalCents += v.cents;
      p.totalFte += v.fte;
    }
  }
  return [...nodes.values()].sort((a, b) => compareText(a.code, b.code));
}
