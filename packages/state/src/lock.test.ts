import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { beforeAll, describe, expect, it } from "vitest";
import { bundleForChildren, startChild } from "../test/child-process";
import { position } from "../test/fixtures/records";
import { openState, tempDbPath } from "../test/fixtures/temp-db";
import { lockFilePath, SqliteStateManager, StateError } from "./index";

function openError(path: string): StateError {
  try {
    SqliteStateManager.open(path).close();
  } catch (e) {
    expect(e).toBeInstanceOf(StateError);
    return e as StateError;
  }
  throw new Error("expected the second open to be refused");
}

/** The pid of a process that has already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

describe("database ownership", () => {
  let bundle: string;
  beforeAll(async () => {
    bundle = await bundleForChildren();
  });

  it("refuses a second opener in the same process and names the owner", () => {
    const path = tempDbPath();
    const first = openState(path);
    const e = openError(path);
    expect(e.code).toBe("STATE_LOCKED");
    expect(e.context).toMatchObject({ path, owner: { pid: process.pid, hostname: hostname() } });
    expect(e.message).toContain(`pid ${process.pid}`);
    first.savePosition(position()); // the owner is unharmed
    first.close();
    expect(existsSync(lockFilePath(path))).toBe(false);
    openState(path).close(); // and the database is free again
  });

  it("refuses a second engine process while the first runs, and takes the lock over once it is killed", async () => {
    const path = tempDbPath();
    const child = startChild(bundle, path, "hold");
    try {
      await child.waitFor(/^ready$/);
      const e = openError(path);
      expect(e.code).toBe("STATE_LOCKED");
      expect(e.context).toMatchObject({ owner: { pid: child.process.pid } });
      expect(e.message).toContain(`pid ${child.process.pid}`);
    } finally {
      child.process.kill("SIGKILL");
      await child.exited;
    }
    // The dead engine left its lock file; the OS released its lock, so the database is taken over.
    const state = openState(path);
    expect(state.previousOwner?.pid).toBe(child.process.pid);
    expect(JSON.parse(readFileSync(lockFilePath(path), "utf8"))).toMatchObject({ pid: process.pid });
  });

  it("takes over a stale lock file of a dead pid", () => {
    const path = tempDbPath();
    openState(path).close();
    const stale = { pid: deadPid(), hostname: hostname(), acquiredAt: 42 };
    writeFileSync(lockFilePath(path), JSON.stringify(stale));
    const state = openState(path, { clock: () => 777 });
    expect(state.previousOwner).toEqual(stale);
    expect(JSON.parse(readFileSync(lockFilePath(path), "utf8"))).toEqual({ pid: process.pid, hostname: hostname(), acquiredAt: 777 });
    state.close();
    expect(existsSync(lockFilePath(path))).toBe(false);
    expect(openState(path).previousOwner).toBeUndefined(); // a clean close leaves nothing to take over
  });

  it("ignores an unreadable lock file", () => {
    const path = tempDbPath();
    writeFileSync(lockFilePath(path), "{ half written");
    const state = openState(path);
    expect(state.previousOwner).toBeUndefined();
    state.close();
  });
});
