/**
 * typecheck_app: type-checks one app — its entry module and whatever it imports — with the
 * kernel's compiler options (tsconfig.json: strict, no Node types, ES2023 only), as
 * `tsc -p tsconfig.json` checks every app, but without checking the whole tree. The ambient
 * declarations the config includes (`declare module "skiff:net"` …) come along.
 */
import path from "node:path";
import ts from "typescript";

export class TypecheckError extends Error {
  override readonly name = "TypecheckError";
}

export function typecheckApp(entryPath: string, tsconfigPath: string): void {
  const configErrors: ts.Diagnostic[] = [];
  const config = ts.getParsedCommandLineOfConfigFile(tsconfigPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => configErrors.push(diagnostic),
  });
  const formatHost: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (file) => file,
    getCurrentDirectory: () => path.dirname(tsconfigPath),
    getNewLine: () => "\n",
  };
  if (config === undefined || configErrors.length > 0) {
    throw new TypecheckError(`Cannot read ${tsconfigPath}: ${ts.formatDiagnostics(configErrors, formatHost)}`);
  }
  const ambient = config.fileNames.filter((file) => file.endsWith(".d.ts"));
  const program = ts.createProgram({ rootNames: [path.resolve(entryPath), ...ambient], options: config.options });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length > 0) {
    throw new TypecheckError(`Cannot build ${entryPath}: it does not type-check:\n${ts.formatDiagnostics(diagnostics, formatHost)}`);
  }
}
