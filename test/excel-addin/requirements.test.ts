/**
 * Every Excel API the add-in calls, with the requirement set @types/office-js documents for it
 * ("[Api set: ExcelApi 1.N]"), read from the add-in's sources with the TypeScript checker:
 * - nothing newer than REQUIRED.ExcelApi is used outside a FEATURE, and REQUIRED is no higher than
 *   the newest API used unconditionally (so the manifest asks for exactly what the add-in needs);
 * - each use of a FEATURE's API sits under `supports('<feature>')` (an if, a ?: or an &&);
 * - manifest.xml's <Requirements> (the add-in's and the ribbon's) are REQUIRED.
 * The fake Office.js refuses the FEATURES' APIs below their level, and the port contract suite and
 * live validation run at 1.9, 1.14 and 1.17 (port.test.ts, live.test.ts).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { FEATURES, REQUIRED, type Feature } from '../../excel-addin/src/requirements';

jest.setTimeout(120_000);

const root = join(__dirname, '..', '..');
const src = join(root, 'excel-addin', 'src');

interface Use {
  api: string;
  apiSet: string | undefined;
  file: string;
  node: ts.Node;
}

function minor(version: string): number {
  return Number(version.split('.')[1]);
}

function collectUses(): { uses: Use[]; sourceText: (n: ts.Node) => string; checker: ts.TypeChecker } {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'excel-addin', 'tsconfig.json'),
    { noEmit: true },
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('excel-addin/tsconfig.json did not parse');
  const files = readdirSync(src)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(src, f));
  const program = ts.createProgram(files, config.options);
  const checker = program.getTypeChecker();
  const uses: Use[] = [];
  for (const file of files) {
    const sf = program.getSourceFile(file) as ts.SourceFile;
    const visit = (n: ts.Node): void => {
      if (ts.isPropertyAccessExpression(n)) {
        const symbol = checker.getSymbolAtLocation(n.name);
        const decl = symbol?.declarations?.[0];
        if (symbol && decl && /@types[\\/]office-(js|runtime)[\\/]/.test(decl.getSourceFile().fileName)) {
          const api = checker.getFullyQualifiedName(symbol);
          if (
            api.startsWith('Excel.') ||
            api.startsWith('OfficeRuntime.') ||
            api.startsWith('Office.Auth.')
          ) {
            const doc = ts
              .getJSDocTags(decl)
              .map((t) => ts.getTextOfJSDocComment(t.comment) ?? '')
              .join(' ');
            uses.push({ api, apiSet: /\[Api set: ExcelApi (1\.\d+)/.exec(doc)?.[1], file, node: n });
          }
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return { uses, sourceText: (n) => n.getText(), checker };
}

const featureOf = (api: string): [string, Feature] | undefined =>
  (Object.entries(FEATURES) as [string, Feature][]).find(([, f]) =>
    f.apis.some((p) => (p.endsWith('.*') ? api.startsWith(p.slice(0, -1)) : api === p)),
  );

/**
 * Whether `node` only runs when `supports('<feature>')` holds: an if / ?: / && on it (maybe via a
 * const), or an earlier `if (!supports('<feature>') || …) return` in an enclosing block.
 */
function guarded(node: ts.Node, feature: string, checker: ts.TypeChecker): boolean {
  const call = `supports('${feature}')`;
  const holds = (cond: ts.Expression): boolean => {
    if (cond.getText().includes(call)) return true;
    if (ts.isIdentifier(cond)) {
      const decl = checker.getSymbolAtLocation(cond)?.valueDeclaration;
      return !!decl && ts.isVariableDeclaration(decl) && (decl.initializer?.getText() ?? '') === call;
    }
    if (ts.isBinaryExpression(cond) && cond.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken)
      return holds(cond.left) || holds(cond.right);
    return false;
  };
  const fails = (cond: ts.Expression): boolean => {
    if (ts.isPrefixUnaryExpression(cond) && cond.operator === ts.SyntaxKind.ExclamationToken)
      return holds(cond.operand);
    if (ts.isBinaryExpression(cond) && cond.operatorToken.kind === ts.SyntaxKind.BarBarToken)
      return fails(cond.left) || fails(cond.right);
    return false;
  };
  const exits = (s: ts.Statement): boolean =>
    ts.isReturnStatement(s) ||
    ts.isThrowStatement(s) ||
    (ts.isBlock(s) && s.statements.some((t) => ts.isReturnStatement(t) || ts.isThrowStatement(t)));
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (ts.isBlock(parent)) {
      const before = parent.statements.slice(0, parent.statements.indexOf(child as ts.Statement));
      if (before.some((s) => ts.isIfStatement(s) && fails(s.expression) && exits(s.thenStatement)))
        return true;
    }
    if (ts.isIfStatement(parent) && parent.thenStatement === child && holds(parent.expression)) return true;
    if (ts.isConditionalExpression(parent) && parent.whenTrue === child && holds(parent.condition))
      return true;
    if (
      ts.isBinaryExpression(parent) &&
      parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken &&
      parent.right === child &&
      holds(parent.left)
    )
      return true;
  }
  return false;
}

describe('the Office requirement sets', () => {
  const { uses, checker } = collectUses();
  const where = (u: Use): string =>
    `${u.api} (ExcelApi ${u.apiSet ?? '?'}) in ${u.file.slice(root.length + 1)}:${
      u.node.getSourceFile().getLineAndCharacterOfPosition(u.node.getStart()).line + 1
    }`;

  it('finds the Excel APIs the add-in uses, with their sets', () => {
    expect(uses.length).toBeGreaterThan(40);
    expect(uses.find((u) => u.api === 'Excel.Worksheet.notes')?.apiSet).toBe('1.18');
    expect(uses.find((u) => u.api === 'Excel.WorksheetCollection.onChanged')?.apiSet).toBe('1.9');
    // the board report's charts and print setup: within what the manifest requires (1.9), no feature
    const setOf = (api: string): string | undefined => uses.find((u) => u.api === api)?.apiSet;
    expect(setOf('Excel.ChartCollection.add')).toBe('1.1');
    expect(setOf('Excel.ChartCollection.getItemOrNullObject')).toBe('1.4');
    expect(setOf('Excel.Chart.setPosition')).toBe('1.1');
    expect(setOf('Excel.PageLayout.setPrintTitleRows')).toBe('1.9');
    expect(setOf('Excel.HeaderFooter.centerFooter')).toBe('1.9');
    expect(uses.some((u) => u.api === 'Office.Auth.getAccessToken')).toBe(true);
    expect(uses.some((u) => u.api === 'Office.Auth.getAuthContext')).toBe(true);
  });

  it('uses nothing newer than REQUIRED.ExcelApi outside a feature, and needs all of REQUIRED', () => {
    const unconditional = uses.filter((u) => u.apiSet && !featureOf(u.api));
    const newer = unconditional.filter((u) => minor(u.apiSet as string) > minor(REQUIRED.ExcelApi));
    expect(newer.map(where)).toEqual([]);
    const newest = Math.max(...unconditional.map((u) => minor(u.apiSet as string)));
    expect(`1.${newest}`).toBe(REQUIRED.ExcelApi);
  });

  it("lists each feature's APIs at the set @types/office-js gives them", () => {
    for (const u of uses) {
      const f = featureOf(u.api);
      if (f && u.apiSet) expect({ api: u.api, set: u.apiSet }).toEqual({ api: u.api, set: f[1].version });
    }
    for (const name of Object.keys(FEATURES))
      expect({ name, used: uses.some((u) => featureOf(u.api)?.[0] === name) }).toEqual({ name, used: true });
  });

  it("calls a feature's APIs only under supports('<feature>')", () => {
    const unguarded = uses.filter((u) => {
      const f = featureOf(u.api);
      return f && !guarded(u.node, f[0], checker);
    });
    expect(unguarded.map(where)).toEqual([]);
  });

  it('asks the same of Office in manifest.xml, for the add-in and for its ribbon', () => {
    const xml = readFileSync(join(root, 'manifest.xml'), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
    const sets = (tag: string): Record<string, string> =>
      Object.fromEntries(
        [...xml.matchAll(new RegExp(`<${tag} Name="([^"]+)" MinVersion="([^"]+)"\\s*/>`, 'g'))].map((m) => [
          m[1],
          m[2],
        ]),
      );
    expect(sets('Set')).toEqual(REQUIRED);
    expect(sets('bt:Set')).toEqual(REQUIRED);
  });
});
