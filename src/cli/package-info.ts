/** This package's own package.json: its version, and the Node versions it supports. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The installed package's folder (dist/src/cli is three levels below it). */
export const PACKAGE_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

interface PackageJson {
  version: string;
  engines: { node: string };
}

let cached: PackageJson | undefined;

export function packageJson(): PackageJson {
  cached ??= JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as PackageJson;
  return cached;
}

export const version = (): string => packageJson().version;
