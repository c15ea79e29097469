import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/**
 * Every regular-expression literal in the TypeScript sources under `dir`, found with the
 * TypeScript parser (not a regex over source text, which would miss or invent literals).
 * Used by the ReDoS tests, which hand each one to recheck.
 */
export function regexLiteralsIn(dir: string, options: { recursive?: boolean; exclude?: readonly string[] } = {}): [string, RegExp][] {
  const out: [string, RegExp][] = [];
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      if (options.exclude?.some((e) => path.startsWith(e))) continue;
      if (statSync(path).isDirectory()) {
        if (options.recursive) walk(path);
        continue;
      }
      // Test files never see hostile input; only product code is checked.
      if (!/\.tsx?$/.test(name) || name.endsWith('.d.ts') || /\.test\.tsx?$/.test(name)) continue;
      const text = readFileSync(path, 'utf8');
      const file = ts.createSourceFile(name, text, ts.ScriptTarget.ES2022, true, name.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
      const visit = (node: ts.Node): void => {
        if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
          const literal = node.getText(file);
          const slash = literal.lastIndexOf('/');
          out.push([`${relative('.', path)}: ${literal.slice(0, 60)}`, new RegExp(literal.slice(1, slash), literal.slice(slash + 1))]);
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
    }
  };
  walk(dir);
  return out;
}
