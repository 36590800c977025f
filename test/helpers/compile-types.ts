// Type-checks files of this repository with the TypeScript compiler API, some of them replaced by text
// held in memory (a generated file from a changed spec, a file of examples), so a type test can compile
// what is not on disk. The project's tsconfig options, without @types (the checked files need none).
import { join } from 'node:path';
import ts from 'typescript';
import { projectRoot } from '../../src/spec.js';

export interface TypeProblem {
  readonly file: string;
  /** 1-based line */
  readonly line: number;
  readonly code: number;
  readonly message: string;
}

function projectOptions(): ts.CompilerOptions {
  const file = join(projectRoot, 'tsconfig.json');
  const { config } = ts.readConfigFile(file, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, projectRoot);
  return { ...options, types: [], noEmit: true };
}

/** Problems tsc reports for `roots` (paths relative to the project), with `replaced` files read from memory. */
export function typeProblems(roots: readonly string[], replaced: Readonly<Record<string, string>> = {}): TypeProblem[] {
  const options = projectOptions();
  const host = ts.createCompilerHost(options);
  const memory = new Map(Object.entries(replaced).map(([path, text]) => [join(projectRoot, path), text]));
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (name) => memory.has(name) || ts.sys.fileExists(name);
  host.readFile = (name) => memory.get(name) ?? readFile(name);
  host.getSourceFile = (name, language, onError, create) => {
    const text = memory.get(name);
    return text === undefined ? getSourceFile(name, language, onError, create) : ts.createSourceFile(name, text, language);
  };
  const program = ts.createProgram(roots.map((r) => join(projectRoot, r)), options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ({
    file: d.file ? d.file.fileName.slice(projectRoot.length) : '',
    line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
    code: d.code,
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
}
