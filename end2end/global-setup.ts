// Starts one `tryout demo` server for the whole Playwright run and returns the teardown that stops it.
//
// The server listens on a free 127.0.0.1 port and keeps its SQLite database, credentials.json and
// server.log in a new temporary directory. Tests find it through two environment variables, which
// Playwright passes on to its worker processes:
//   TRYOUT_URL          base URL of the server (playwright.config.ts uses it as `baseURL`)
//   TRYOUT_CREDENTIALS  path of the credentials.json the demo wrote
//
// Optional inputs:
//   TRYOUT_BIN          server binary to run; default <repo>/target/release/tryout
//   TRYOUT_E2E_DATABASE_URL  an empty PostgreSQL database for the demo (default: SQLite in the
//                       temporary directory); scripts/test sets it for its PostgreSQL run
//   TRYOUT_KEEP_DATA=1  keep the temporary directory after the run instead of deleting it
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseDemoCredentials } from "./support/demo-credentials";

const REPO_ROOT = path.resolve(__dirname, "..");
const STARTUP_TIMEOUT_MS = 60_000;
const SHUTDOWN_TIMEOUT_MS = 10_000;
const LOG_TAIL_LINES = 100;

/** Binds port 0 on 127.0.0.1, reads the port the kernel picked, and releases it. */
async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        server.close();
        reject(new Error(`unexpected listening address ${String(address)}`));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

function readLogTail(logPath: string): string {
  if (!existsSync(logPath)) {
    return "(no server log was written)";
  }
  const lines = readFileSync(logPath, "utf8").split("\n");
  return lines.slice(-LOG_TAIL_LINES - 1).join("\n");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function isHealthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Sends SIGTERM to the child, then SIGKILL if it has not exited after SHUTDOWN_TIMEOUT_MS. */
async function stopServer(child: ChildProcess): Promise<void> {
  if (hasExited(child) || child.pid === undefined) {
    return;
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  signalChild(child, "SIGTERM");
  const timer = sleep(SHUTDOWN_TIMEOUT_MS).then(() => "timeout" as const);
  if ((await Promise.race([exited, timer])) === "timeout" && !hasExited(child)) {
    console.error(`tryout demo (pid ${child.pid}) did not exit within ${SHUTDOWN_TIMEOUT_MS / 1000} s of SIGTERM; sending SIGKILL`);
    signalChild(child, "SIGKILL");
    await exited;
  }
}

/** Sends `signal` to the child's pid, ignoring ESRCH from a child that exited in the meantime. */
function signalChild(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) {
    return;
  }
  try {
    process.kill(child.pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") {
      throw error;
    }
  }
}

/**
 * Waits until GET /healthz returns 200 and credentials.json parses.
 * Throws if the server exits or STARTUP_TIMEOUT_MS passes first.
 */
async function waitUntilReady(child: ChildProcess, url: string, credentialsPath: string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let lastProblem = "GET /healthz has not returned 200 yet";
  while (Date.now() < deadline) {
    if (hasExited(child)) {
      throw new Error(`tryout demo exited during startup (exit code ${child.exitCode}, signal ${child.signalCode})`);
    }
    if (await isHealthy(url)) {
      if (!existsSync(credentialsPath)) {
        lastProblem = `GET /healthz returned 200 but ${credentialsPath} does not exist`;
      } else {
        try {
          const credentials = parseDemoCredentials(readFileSync(credentialsPath, "utf8"), credentialsPath);
          if (credentials.url.replace(/\/$/, "") !== url) {
            throw new Error(`${credentialsPath}: "url" is ${credentials.url}, but the server was started on ${url}`);
          }
          return;
        } catch (error) {
          // The file may still be half written, so keep the reason and retry until the deadline.
          lastProblem = (error as Error).message;
        }
      }
    }
    await sleep(250);
  }
  throw new Error(`tryout demo was not ready within ${STARTUP_TIMEOUT_MS / 1000} s: ${lastProblem}`);
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const binary = process.env.TRYOUT_BIN ?? path.join(REPO_ROOT, "target", "release", "tryout");
  const siteRoot = path.join(REPO_ROOT, "target", "site");
  if (!existsSync(binary)) {
    throw new Error(
      process.env.TRYOUT_BIN
        ? `TRYOUT_BIN is ${binary}, which does not exist`
        : `server binary ${binary} not found: build it with \`cargo leptos build --release\` (scripts/test does)`,
    );
  }
  if (!existsSync(siteRoot)) {
    throw new Error(`site root ${siteRoot} not found: build it with \`cargo leptos build --release\` (scripts/test does)`);
  }

  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), "tryout-e2e-"));
  const credentialsPath = path.join(dataDir, "credentials.json");
  const logPath = path.join(dataDir, "server.log");
  const args = ["demo", "--listen", `127.0.0.1:${port}`, "--data-dir", dataDir, "--write-credentials", credentialsPath];
  const databaseUrl = process.env.TRYOUT_E2E_DATABASE_URL;
  if (databaseUrl) {
    args.push("--database-url", databaseUrl);
  }

  // The database URL may hold a password, so the printed command names the variable instead.
  const printable = args.map((arg) => (arg === databaseUrl ? "$TRYOUT_E2E_DATABASE_URL" : arg));
  console.log(`Starting ${binary} ${printable.join(" ")}`);
  console.log(`Server log: ${logPath}`);
  const logFd = openSync(logPath, "a");
  const child = spawn(binary, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, LEPTOS_SITE_ROOT: siteRoot, RUST_LOG: "info" },
    stdio: ["ignore", logFd, logFd],
  });
  // The child has its own copy of the descriptor, so the parent closes its copy.
  closeSync(logFd);

  // If the runner exits without running the teardown (for example on a crash), stop the server anyway.
  const killOnExit = (): void => {
    if (!hasExited(child)) {
      signalChild(child, "SIGKILL");
    }
  };
  process.once("exit", killOnExit);

  try {
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", () => resolve());
      child.once("error", (error) => reject(new Error(`could not start ${binary}: ${error.message}`)));
    });
    await waitUntilReady(child, url, credentialsPath);
  } catch (error) {
    await stopServer(child);
    process.removeListener("exit", killOnExit);
    console.error(`--- last ${LOG_TAIL_LINES} lines of ${logPath} ---\n${readLogTail(logPath)}\n--- end of server log ---`);
    throw error;
  }

  console.log(`tryout demo (pid ${child.pid}) is ready at ${url}`);
  process.env.TRYOUT_URL = url;
  process.env.TRYOUT_CREDENTIALS = credentialsPath;

  return async function globalTeardown(): Promise<void> {
    const exitedEarly = hasExited(child);
    await stopServer(child);
    process.removeListener("exit", killOnExit);
    if (exitedEarly) {
      console.error(
        `tryout demo exited before the tests finished (exit code ${child.exitCode}, signal ${child.signalCode})\n` +
          `--- last ${LOG_TAIL_LINES} lines of ${logPath} ---\n${readLogTail(logPath)}\n--- end of server log ---`,
      );
    }

    // Keep the log next to Playwright's other results, because the temporary directory goes away.
    const resultsDir = path.join(__dirname, "test-results");
    mkdirSync(resultsDir, { recursive: true });
    copyFileSync(logPath, path.join(resultsDir, "server.log"));
    console.log(`Server log copied to ${path.join(resultsDir, "server.log")}`);

    if (process.env.TRYOUT_KEEP_DATA === "1") {
      console.log(`Kept the demo's data directory ${dataDir}`);
    } else {
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
}
