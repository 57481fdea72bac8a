/** The built CLI as a person meets it: --help, --version, mistakes, a port in use. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { OPTIONS, defaultDbPath } from "../../src/config/config.js";
import { CLI } from "../helpers/cli-process.js";
import { PROJECT_ROOT } from "../helpers/shared.js";

const dir = mkdtempSync(join(tmpdir(), "apicenter-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeArgs, CLI, ...args], {
    encoding: "utf8",
    env: { ...process.env, APICENTER_DB: join(dir, "cli.db"), ...env },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The variables DefaultAzureCredential reads; --help must name each. */
const AZURE_SDK_ENV = ["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_TOKEN_CREDENTIALS"];

test("--help names every flag, every environment variable read, and this machine's default database path", () => {
  const env = { XDG_DATA_HOME: join(dir, "data"), LOCALAPPDATA: join(dir, "data") };
  const { status, stdout, stderr } = run(["--help"], env);
  assert.equal(status, 0, stderr);
  for (const o of OPTIONS) {
    assert.ok(stdout.includes(`--${o.flag}`), `--${o.flag} is in --help`);
    for (const name of "env" in o ? o.env : []) assert.ok(stdout.includes(name), `${name} is in --help`);
  }
  for (const name of [...AZURE_SDK_ENV, "XDG_DATA_HOME", "LOCALAPPDATA"]) assert.ok(stdout.includes(name), `${name} is in --help`);
  assert.ok(stdout.includes(defaultDbPath({ ...process.env, ...env })), "the default database path is shown");
  assert.ok(!stdout.includes("APICENTER_SERVICE_NAME"), "no undocumented alias");
  for (const command of ["doctor", "emulator"]) assert.match(stdout, new RegExp(`apicenter-mcp ${command} \\[options\\]`));
  for (const line of stdout.split("\n")) assert.ok(line.length <= 100, `fits in 100 columns: ${line}`);
});

test("--help and --version load only node's built-ins and the CLI's own light modules", () => {
  const log = join(dir, "modules.log");
  // A resolve hook records every module the process loads.
  const hooks = `import { appendFileSync } from "node:fs"; export async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(${JSON.stringify(log)}, r.url + "\\n"); return r; }`;
  const register = `import { register } from "node:module"; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
  for (const flag of ["--help", "--version"]) {
    rmSync(log, { force: true });
    const { status, stderr } = run([flag], {}, ["--import", `data:text/javascript,${encodeURIComponent(register)}`]);
    assert.equal(status, 0, stderr);
    const loaded = readFileSync(log, "utf8").trim().split("\n");
    assert.ok(loaded.some((u) => u.endsWith("/cli/main.js")), "the hook saw the CLI load");
    const heavy = loaded.filter((u) => u.includes("/node_modules/") || /\/src\/(mcp|azure|emulator|spectral)\//.test(u));
    assert.deepEqual(heavy, [], `${flag} loads no SDK, SQLite or Spectral`);
  }
});

test("--version prints the package's version", () => {
  const { status, stdout } = run(["--version"]);
  assert.equal(status, 0);
  assert.equal(stdout, `${(JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { version: string }).version}\n`);
});

test("mistakes are answered in a sentence on stderr with exit code 2, nothing on stdout", () => {
  const cases: Array<[string[], Record<string, string>, string]> = [
    [["--prot", "3000"], {}, "apicenter-mcp: unknown flag --prot; did you mean --port?\n"],
    [["doctr"], {}, "apicenter-mcp: unknown command 'doctr'; did you mean 'doctor'? (commands: doctor, emulator; run apicenter-mcp --help)\n"],
    [["doctor", "now"], {}, "apicenter-mcp: unexpected argument 'now'; options start with -- (run apicenter-mcp --help)\n"],
  ];
  for (const [args, env, expected] of cases) {
    const { status, stdout, stderr } = run(args, env);
    assert.equal(stderr, expected);
    assert.equal(status, 2);
    assert.equal(stdout, "");
  }
  const sub = run([], { AZURE_SUBSCRIPTION_ID: "foo", APICENTER_RESOURCE_GROUP: "rg", APICENTER_SERVICE: "svc" });
  assert.equal(sub.status, 2);
  assert.match(sub.stderr, /^apicenter-mcp: AZURE_SUBSCRIPTION_ID 'foo' is not a subscription id: it is a GUID/);
  const service = run(["--subscription", "00000000-0000-0000-0000-000000000000", "--resource-group", "rg", "--service", "x"]);
  assert.equal(service.status, 2);
  assert.match(service.stderr, /service name 'x' is invalid: use 3 to 90 letters, digits or hyphens.*\(set by --service or APICENTER_SERVICE\)/);
});

test("a data path that cannot be made is refused at once, naming the flag, for the server and the standalone local API Center", () => {
  const file = join(dir, "a-file");
  writeFileSync(file, "");
  const cases: Array<[string[], RegExp]> = [
    [["--db", join(file, "x.db")], /cannot make the directory for the local database and the journal \(--db, APICENTER_DB\) .*is not a directory; choose a writable path/],
    [["emulator", "--db", join(file, "x.db")], /cannot make the directory for the local database \(--db, APICENTER_DB\)/],
    [["--index-db", join(file, "deeper", "x.index.db")], /cannot make the directory for the saved index \(--index-db, APICENTER_INDEX_DB\)/],
  ];
  // Node's recursive mkdir never returns under /proc: the server spun there instead of exiting.
  if (process.platform === "linux") cases.push([["--db", "/proc/nope/x.db"], /\(\/proc\/nope\/x\.db\): ENOENT; choose a writable path/]);
  for (const [args, expected] of cases) {
    const { status, stdout, stderr } = run(args);
    assert.match(stderr, expected);
    assert.equal(status, 2);
    assert.equal(stdout, "");
  }
});

test("a port in use is answered with the flag to change it, for the MCP server and the standalone local API Center", async () => {
  const blocker: Server = createServer();
  await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
  const port = (blocker.address() as { port: number }).port;
  try {
    for (const args of [["--http", "--port", String(port)], ["emulator", "--port", String(port), "--db", join(dir, "emu.db")]]) {
      const { status, stderr } = run(args);
      assert.equal(stderr, `apicenter-mcp: port ${port} on 127.0.0.1 is already in use (another apicenter-mcp?): pass --port with a free port, or --port 0 to pick one\n`);
      assert.equal(status, 2);
    }
  } finally {
    blocker.close();
  }
});
