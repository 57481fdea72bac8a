/**
 * The plan journal on disk: one JSON file per plan in flight, in a directory per backend and service
 * beside the local database. Every write is atomic and durable (a temporary file, fsync, rename,
 * fsync of the directory), so a crash leaves the old record or the new one, never half of one.
 * Processes share the directory safely: each plan has its own uniquely named file, written only by
 * the process that owns it; a plan is recovered only once its owner is gone, and a recovering
 * process first claims the file by renaming it (atomic: of two claimants, one wins).
 */
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, open, readdir, readFile, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { ClaimedPlan, JournalEntry, PlanJournal, PlanRecord } from "../domain/journal.js";

const PLAN = /^(?<id>[\w-]+)\.plan\.json$/;
const CLAIMED = /^(?<id>[\w-]+)\.recovering-(?<pid>\d+)\.json$/;

interface Owner {
  pid: number;
  /** The kernel's boot id where there is one: after a reboot every earlier process is gone, whatever its pid. */
  boot: string;
}

interface PlanFile {
  owner: Owner;
  record: PlanRecord;
}

function bootId(): string {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    return "";
  }
}

const ME: Owner = { pid: process.pid, boot: bootId() };

/** Plans this process opened: a file with this process's pid and another id is an earlier process's (pids are reused). */
const mine = new Set<string>();

function alive(owner: Owner, id: string): boolean {
  if (owner.boot && ME.boot && owner.boot !== ME.boot) return false;
  if (owner.pid === ME.pid) return mine.has(id);
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function syncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, "r");
    await fh.sync();
  } catch {
    // Some platforms (Windows) cannot open a directory: there the rename is as durable as it gets.
  } finally {
    await fh?.close();
  }
}

/**
 * The journal directory of one backend and service: `<base>/<service>-<hash>`, the hash over the
 * backend (the local database's path, or the ARM endpoint) and the service's full name, so two
 * configurations never recover each other's plans.
 */
export function journalDir(base: string, backend: string, service: { subscriptionId: string; resourceGroup: string; serviceName: string }): string {
  const key = [backend, service.subscriptionId, service.resourceGroup, service.serviceName].join("\n").toLowerCase();
  const hash = createHash("sha256").update(key).digest("hex").slice(0, 16);
  return join(base, `${service.serviceName.replace(/[^\w-]/g, "_")}-${hash}`);
}

export class FileJournal implements PlanJournal {
  private made = false;

  /** `dir`: this backend and service's own directory (see journalDir). */
  constructor(readonly dir: string) {}

  private async write(file: string, content: PlanFile): Promise<void> {
    if (!this.made) {
      await mkdir(this.dir, { recursive: true });
      this.made = true;
    }
    const tmp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
    const fh = await open(tmp, "w", 0o600);
    try {
      await fh.writeFile(JSON.stringify(content));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
    await syncDir(this.dir);
  }

  async open(record: PlanRecord): Promise<JournalEntry> {
    const id = `${Date.now().toString(36)}-${process.pid}-${randomBytes(6).toString("hex")}`;
    const file = join(this.dir, `${id}.plan.json`);
    mine.add(id);
    await this.write(file, { owner: ME, record });
    return {
      save: (r) => this.write(file, { owner: ME, record: r }),
      close: async () => {
        await unlink(file);
        await syncDir(this.dir);
        mine.delete(id);
      },
    };
  }

  async claimAbandoned(): Promise<ClaimedPlan[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw e;
    }
    const out: ClaimedPlan[] = [];
    for (const name of names.sort()) {
      const plan = PLAN.exec(name)?.groups;
      const claimed = CLAIMED.exec(name)?.groups;
      const id = plan?.id ?? claimed?.id;
      if (!id) continue;
      const from = join(this.dir, name);
      let content: PlanFile;
      try {
        content = JSON.parse(await readFile(from, "utf8")) as PlanFile;
      } catch {
        continue; // Claimed and removed by another process meanwhile.
      }
      // A claimed file belongs to its claimer while the claimer lives, and to whoever comes next once it is gone.
      // (Its boot id is not recorded: a claimer is checked by pid alone.)
      const owner = claimed ? { pid: Number(claimed.pid), boot: "" } : content.owner;
      if (alive(owner, claimed ? `claim:${id}` : id)) continue;
      const to = join(this.dir, `${id}.recovering-${process.pid}.json`);
      try {
        await rename(from, to);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") continue; // Another process claimed it first.
        throw e;
      }
      mine.add(`claim:${id}`);
      await syncDir(this.dir);
      out.push({
        record: content.record,
        done: async () => {
          await unlink(to);
          await syncDir(this.dir);
          mine.delete(`claim:${id}`);
        },
        release: async () => {
          await rename(to, join(this.dir, `${id}.plan.json`));
          await syncDir(this.dir);
          mine.delete(`claim:${id}`);
        },
      });
    }
    return out;
  }
}
