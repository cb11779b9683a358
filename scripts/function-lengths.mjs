// Lists the longest functions (lines) in src/ using the TypeScript compiler API.
import ts from 'typescript';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
const root = process.argv[2] ?? 'src';
const files = readdirSync(root, { recursive: true }).filter((f) => f.endsWith('.ts')).map((f) => path.join(root, f));
const out = [];
for (const file of files) {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      let name = node.name?.getText?.() ?? (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText() : '(anonymous)');
      out.push({ file, name, lines: end - start + 1, at: start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
out.sort((a, b) => b.lines - a.lines);
for (const f of out.slice(0, Number(process.argv[3] ?? 5))) console.log(`${String(f.lines).padStart(4)}  ${f.name}  ${f.file}:${f.at}`);
