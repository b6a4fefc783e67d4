// Sizes of the code, for the import graph's measures: the largest file and the longest function,
// in lines, the functions found with TypeScript's own parser (declarations, methods, accessors,
// constructors, function expressions and arrow functions; an inner function counts inside its outer one).
import ts from 'typescript';

export interface FileSize {
  readonly module: string;
  readonly lines: number;
}

export interface FunctionSize {
  readonly module: string;
  /** `name`, `Class.method`, `Class.constructor`, `(a function passed to app.get)` or `(anonymous)`. */
  readonly name: string;
  /** Its first line in the file. */
  readonly line: number;
  readonly lines: number;
}

/** Lines as `wc -l` counts them, and a last line without its newline. */
export function lineCount(text: string): number {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

const propertyName = (name: ts.PropertyName | ts.BindingName | undefined): string | undefined =>
  name === undefined || ts.isObjectBindingPattern(name) || ts.isArrayBindingPattern(name) || ts.isComputedPropertyName(name)
    ? undefined
    : name.text;

/** A class member's name with its class's (`Class.member`), or the name alone outside a class. */
function qualified(member: ts.Node, name: string): string {
  const owner = member.parent;
  return owner && (ts.isClassDeclaration(owner) || ts.isClassExpression(owner)) && owner.name ? `${owner.name.text}.${name}` : name;
}

/** What a reader would call the function: its own name, its method's, or the name it is assigned to. */
function functionName(node: ts.FunctionLikeDeclaration): string {
  if (ts.isConstructorDeclaration(node)) return qualified(node, 'constructor');
  if (ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) {
    const kind = ts.isGetAccessorDeclaration(node) ? 'get ' : ts.isSetAccessorDeclaration(node) ? 'set ' : '';
    return qualified(node, `${kind}${propertyName(node.name) ?? '(computed)'}`);
  }
  if (node.name !== undefined) return propertyName(node.name) ?? '(anonymous)';
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
    const name = propertyName(parent.name);
    if (name !== undefined) return qualified(parent, name);
  }
  if (ts.isCallExpression(parent) || ts.isNewExpression(parent))
    return `(a function passed to ${parent.expression.getText().slice(0, 60)})`;
  return '(anonymous)';
}

/** Every function of a module's source, with its length in lines. */
export function functionSizes(module: string, text: string): FunctionSize[] {
  const file = ts.createSourceFile(module, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: FunctionSize[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const declaration = node as ts.FunctionLikeDeclaration;
      const first = file.getLineAndCharacterOfPosition(declaration.getStart(file)).line;
      const last = file.getLineAndCharacterOfPosition(declaration.getEnd()).line;
      found.push({ module, name: functionName(declaration), line: first + 1, lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** The largest of several, the first one on a tie. */
export function largest<T extends { readonly lines: number }>(sizes: Iterable<T>): T | undefined {
  let best: T | undefined;
  for (const size of sizes) if (best === undefined || size.lines > best.lines) best = size;
  return best;
}
