/**
 * What `npm pack` (and so npm, a tarball or git) hands a user: the built server, README, LICENSE and
 * package.json, no source maps without their sources, no tests; and the scripts that make it.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { PROJECT_ROOT } from "../helpers/shared.js";

interface PackageJson {
  name: string;
  version: string;
  license: string;
  bin: Record<string, string>;
  files: string[];
  scripts: Record<string, string>;
  engines: { node: string };
}
const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as PackageJson;

test("the packed file list is what a user needs, and nothing more", () => {
  // --ignore-scripts: `prepare` would rebuild dist/src under the feet of the tests running beside this one.
  const r = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: PROJECT_ROOT, encoding: "utf8", shell: process.platform === "win32", timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const [packed] = JSON.parse(r.stdout) as Array<{ name: string; files: Array<{ path: string; mode: number }> }>;
  const files = packed!.files.map((f) => f.path);
  assert.equal(packed!.name, pkg.name);
  for (const needed of ["package.json", "README.md", "LICENSE", pkg.bin["apicenter-mcp"]!, "dist/src/emulator/local-api-center.js", "dist/src/spectral/lint-worker.js"]) {
    assert.ok(files.includes(needed!), `${needed} is packed`);
  }
  assert.deepEqual(files.filter((f) => f.endsWith(".map")), [], "no source maps (their sources are not shipped)");
  assert.deepEqual(files.filter((f) => !f.startsWith("dist/src/") && !["package.json", "README.md", "LICENSE"].includes(f)), []);
  assert.deepEqual(files.filter((f) => f.startsWith("dist/src/") && !f.endsWith(".js")), []);
});

test("the bin is a node script, and the package builds itself wherever npm installs it from source", () => {
  const bin = readFileSync(join(PROJECT_ROOT, pkg.bin["apicenter-mcp"]!), "utf8");
  assert.ok(bin.startsWith("#!/usr/bin/env node\n"), "the bin starts with a node shebang");
  assert.match(pkg.scripts.prepare!, /rmSync\('dist\/src'/, "prepare clears stale output first");
  assert.match(pkg.scripts.prepare!, /tsc -p tsconfig\.build\.json$/);
  const build = JSON.parse(readFileSync(join(PROJECT_ROOT, "tsconfig.build.json"), "utf8")) as { include: string[]; compilerOptions: { sourceMap: boolean } };
  assert.deepEqual(build.include, ["src/**/*.ts"]);
  assert.equal(build.compilerOptions.sourceMap, false);
  assert.ok(pkg.files.includes("!dist/src/**/*.map"));
});

test("npm start starts the built server without building, so a terminal shows the server and not tsc", () => {
  assert.equal(pkg.scripts.start, `node ${pkg.bin["apicenter-mcp"]}`);
});

test("the license is MIT, in package.json and in LICENSE", () => {
  assert.equal(pkg.license, "MIT");
  const license = readFileSync(join(PROJECT_ROOT, "LICENSE"), "utf8");
  assert.match(license, /^MIT License\n\nCopyright \(c\) \d{4} /);
  assert.match(license, /THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND/);
});
