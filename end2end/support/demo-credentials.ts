// Types and loader for the credentials.json that `tryout demo --write-credentials PATH` writes.
import { readFileSync } from "node:fs";

export interface Login {
  email: string;
  password: string;
}

export interface DemoCandidate {
  name: string;
  email: string;
  /** Lever opportunity id of this candidacy in the simulator. */
  opportunity_id: string;
  /** Personal portal link, `http://127.0.0.1:PORT/c/<token>`. */
  link: string;
}

export interface DemoCredentials {
  /** Base URL of the Tryout server, `http://127.0.0.1:PORT`. */
  url: string;
  /** A Super Admin of the demo organization. */
  admin: Login;
  /** A Team Member, who may not connect Lever. */
  team_member: Login;
  lever: {
    /** Base URL of the in-process Lever simulator, `http://127.0.0.1:PORT/_lever`. */
    simulator_url: string;
    super_admin: Login;
    invite_stage_id: string;
    pass_stage_id: string;
    fail_archive_reason_id: string;
    /** The Lever posting of the demo role: only candidates on it are invited. */
    posting_id: string;
  };
  candidates: DemoCandidate[];
}

/** Number of seeded candidates the browser tests use (one per test that submits a quiz, one for the phone). */
export const MIN_DEMO_CANDIDATES = 3;

/**
 * Parses and validates credentials.json text.
 * Throws an Error that names the first missing or mistyped field.
 */
export function parseDemoCredentials(text: string, source: string): DemoCredentials {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not valid JSON: ${(error as Error).message}`);
  }

  const requireString = (path: string): void => {
    const found = path.split(".").reduce<unknown>(
      (node, key) => (node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined),
      value,
    );
    if (typeof found !== "string" || found === "") {
      throw new Error(`${source}: field "${path}" is missing or not a non-empty string`);
    }
  };

  for (const path of [
    "url",
    "admin.email",
    "admin.password",
    "team_member.email",
    "team_member.password",
    "lever.simulator_url",
    "lever.super_admin.email",
    "lever.super_admin.password",
    "lever.invite_stage_id",
    "lever.pass_stage_id",
    "lever.fail_archive_reason_id",
    "lever.posting_id",
  ]) {
    requireString(path);
  }

  const candidates = (value as { candidates?: unknown }).candidates;
  if (!Array.isArray(candidates) || candidates.length < MIN_DEMO_CANDIDATES) {
    throw new Error(`${source}: "candidates" must be an array of at least ${MIN_DEMO_CANDIDATES} entries`);
  }
  candidates.forEach((_, index) => {
    for (const field of ["name", "email", "opportunity_id", "link"]) {
      requireString(`candidates.${index}.${field}`);
    }
  });

  return value as DemoCredentials;
}

/**
 * Reads the credentials of the demo server that global-setup.ts started.
 * The path comes from TRYOUT_CREDENTIALS, which global setup exports.
 */
export function loadDemoCredentials(): DemoCredentials {
  const path = process.env.TRYOUT_CREDENTIALS;
  if (!path) {
    throw new Error(
      "TRYOUT_CREDENTIALS is not set. global-setup.ts sets it after starting `tryout demo`, so run the tests with `npx playwright test` from end2end/",
    );
  }
  return parseDemoCredentials(readFileSync(path, "utf8"), path);
}
