/**
 * node_app_modules: `import … from "skiff:NAME"` for apps that the hosted-node platform
 * loads as data: URLs. Each such specifier in the bundle is replaced by a data: URL of a
 * small module that re-exports what the kernel defined (Platform.defineModule), read from
 * a registry keyed by a private symbol. An app importing a module the kernel did not
 * define fails to load with a ReferenceError, as on the native platform.
 */
import type { DefinedModules } from "../../kernel-ts/hal/defined_modules.ts";
import type { ModuleNamespace } from "../../kernel-ts/hal/platform.ts";

const REGISTRY = Symbol.for("skiff.hosted-node.modules");
const SPECIFIER = /(\bfrom\s*|\bimport\s*)"(skiff:[a-z][a-z0-9_-]*)"/g;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

type Registry = Map<string, ModuleNamespace>;

function registry(): Registry {
  const holder = globalThis as unknown as { [REGISTRY]?: Registry };
  return (holder[REGISTRY] ??= new Map());
}

export function linkDefinedModules(source: string, modules: DefinedModules): string {
  return source.replace(SPECIFIER, (_match, keyword: string, name: string) => {
    const namespace = modules.namespace(name); // ReferenceError when not defined
    registry().set(name, namespace);
    const names = Object.keys(namespace).filter((key) => IDENTIFIER.test(key));
    const module = [
      `const m = globalThis[Symbol.for("skiff.hosted-node.modules")].get(${JSON.stringify(name)});`,
      names.length > 0 ? `export const { ${names.join(", ")} } = m;` : "",
    ].join("\n");
    return `${keyword}"data:text/javascript;base64,${Buffer.from(module).toString("base64")}"`;
  });
}
