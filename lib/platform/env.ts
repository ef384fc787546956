import { runtimeProcess } from "./node-builtins";

/**
 * An environment variable, read only when a caller asks for it. `undefined` where there is no
 * `process.env`, where the variable is unset, and where reading it is not allowed (Deno without
 * `--allow-env` throws `NotCapable`): lacking the permission to read a default is never an error.
 */
export function readEnv(name: string): string | undefined {
  try {
    const value: unknown = runtimeProcess()?.env?.[name];
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}
