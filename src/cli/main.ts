#!/usr/bin/env node
/**
 * The composition root: argv/env -> config -> backend -> server -> transport. Each command's modules
 * are imported only when it runs, so `--help` and `--version` answer without loading the Azure SDK,
 * the MCP SDK, SQLite or Spectral.
 */
import { ConfigError, parseFlags, resolveConfig } from "../config/config.js";
import { closest } from "../config/suggest.js";
import { DomainError } from "../domain/errors.js";
import { renderHelp } from "./help.js";
import { createLogger } from "./log.js";
import { version } from "./package-info.js";

const COMMANDS = ["doctor", "emulator"] as const;

async function main(argv: string[]): Promise<void> {
  // `apicenter-mcp doctor | head` closes the pipe early; that is not an error worth a stack trace.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
  const { values: flags, positionals } = parseFlags(argv);
  if (flags.help) {
    process.stdout.write(renderHelp(version()));
    return;
  }
  if (flags.version) {
    process.stdout.write(`${version()}\n`);
    return;
  }
  const [command, ...extra] = positionals;
  // `emulator seed-apim` is the one subcommand.
  const sub = command === "emulator" && extra[0] === "seed-apim" ? extra.shift() : undefined;
  if (command !== undefined && !(COMMANDS as readonly string[]).includes(command)) {
    const guess = closest(command, COMMANDS);
    throw new ConfigError(`unknown command '${command}'${guess ? `; did you mean '${guess}'?` : ""} (commands: ${COMMANDS.join(", ")}; run apicenter-mcp --help)`);
  }
  if (extra.length > 0) throw new ConfigError(`unexpected argument '${extra[0]}'; options start with -- (run apicenter-mcp --help)`);
  const config = resolveConfig(flags);
  const log = createLogger(config.logLevel);

  if (command === "doctor") {
    const { runDoctor } = await import("./doctor.js");
    process.exitCode = await runDoctor(config, process.stdout);
    return;
  }
  if (sub === "seed-apim") {
    await (await import("./seed-apim.js")).seedApim(flags, config, log);
    return;
  }
  const stop =
    command === "emulator"
      ? await (await import("./emulator.js")).runEmulator(flags, config, log)
      : await (await import("./serve.js")).runServer(config, log, fail);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: shutting down`);
    stop().then(
      () => process.exit(0),
      (e: Error) => {
        log.error(e.message);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

function fail(e: Error): never {
  const expected = e instanceof ConfigError || (e instanceof DomainError && e.kind === "configuration");
  process.stderr.write(`apicenter-mcp: ${expected ? "" : "error: "}${e.message}\n`);
  process.exit(expected ? 2 : 1);
}

main(process.argv.slice(2)).catch(fail);
