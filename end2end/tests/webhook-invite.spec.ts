// Candidates who enter the portal by themselves. A Super Admin switches on Lever's
// candidate-stage-change webhook in the simulator's settings page. A recruiter moves a new
// candidate into the invite stage, and the invitation reaches the demo mailbox. The candidate
// follows its link and passes the quiz, and Lever shows the result. Then Tryout's access is
// revoked in Lever. Every staff page shows a banner, a result submitted meanwhile waits, and
// reconnecting sends it.
//
// This file runs after quiz-to-lever.spec.ts (files run in name order on one demo server),
// so Lever may already be connected; the first test connects it if not.
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { loadDemoCredentials, type DemoCredentials } from "../support/demo-credentials";
import {
  ROLE_NAME,
  answerLeverConsent,
  correctAnswers,
  openPortal,
  readWelcomeGuide,
  startLeverConnect,
  startQuiz,
  takeQuiz,
  waitForReturnToTryout,
} from "../support/journey";
import { waitForOpportunity } from "../support/lever-simulator";
import { signInToTryout, waitForHydration } from "../support/pages";

/** Lever's stage for new applicants in the demo account, before the invite stage. */
const NEW_APPLICANT_STAGE = "applicant-new";
/** The demo polls Lever every 20 s; a revocation shows on the next poll. */
const ONE_POLL_MS = 45_000;

let credentials: DemoCredentials;

test.beforeAll(() => {
  credentials = loadDemoCredentials();
});

function simulator(path: string): string {
  return `${credentials.lever.simulator_url.replace(/\/$/, "")}${path}`;
}

async function simulatorPost(path: string, body: unknown): Promise<unknown> {
  const response = await fetch(simulator(path), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) {
    throw new Error(`POST ${path} returned ${response.status}: ${await response.text()}`);
  }
  return response.json();
}

/** Adds a candidate to Lever on the demo posting as a new applicant; returns the opportunity id. */
async function addApplicant(name: string, email: string): Promise<string> {
  const created = (await simulatorPost("/_sim/opportunities", {
    id: "",
    name,
    emails: [email],
    stage: NEW_APPLICANT_STAGE,
    postings: [credentials.lever.posting_id],
  })) as { data: { id: string } };
  return created.data.id;
}

/** Moves the candidate into the role's invite stage, as a recruiter does in Lever. */
async function moveToInviteStage(opportunityId: string): Promise<void> {
  await simulatorPost(`/_sim/opportunities/${opportunityId}/stage`, { stage: credentials.lever.invite_stage_id });
}

/** Connects Lever through the consent page unless the Jobs page already shows it connected. */
async function ensureLeverConnected(page: Page): Promise<void> {
  await page.goto("/jobs");
  await waitForHydration(page);
  const connected = page.getByRole("status").filter({ hasText: "Lever is connected" });
  const connectButton = page.getByRole("button", { name: "Connect your ATS" });
  await expect(connected.or(connectButton).first()).toBeVisible();
  if (await connected.isVisible()) {
    return;
  }
  await startLeverConnect(page, credentials);
  await answerLeverConsent(page, credentials.lever.super_admin, "Accept");
  await waitForReturnToTryout(page, credentials);
  await expect(connected).toBeVisible();
}

/** Opens the mailbox until the invitation to `email` is listed, then opens it; returns the portal link. */
async function openInvitation(page: Page, email: string): Promise<string> {
  const item = page.locator("li.mail-item").filter({ hasText: `To: ${email}` });
  await expect(async () => {
    await page.goto("/mailbox");
    await waitForHydration(page);
    await expect(item).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(item).toContainText("In the mailbox");

  await item.getByRole("link").click();
  await expect(page.getByRole("heading", { name: `Your next step for the ${ROLE_NAME} role`, exact: false })).toBeVisible();
  const link = page.locator(".email-text a[href*='/c/']").first();
  await expect(link).toBeVisible();
  const href = await link.getAttribute("href");
  expect(href, "portal link in the invitation").toBeTruthy();
  return href as string;
}

async function takePassingQuiz(browser: Browser, link: string): Promise<void> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await openPortal(page, link);
    await readWelcomeGuide(page);
    await startQuiz(page);
    await takeQuiz(page, correctAnswers());
  } finally {
    await context.close();
  }
}

test.describe("candidates invited from Lever", () => {
  test.describe.configure({ mode: "serial" });

  let adminContext: BrowserContext;
  let adminPage: Page;
  /** A second invited candidate, who takes the quiz while Lever is disconnected. */
  let waitingCandidate: { opportunityId: string; link: string };

  test.beforeAll(async ({ browser }) => {
    adminContext = await browser.newContext({ baseURL: credentials.url });
    adminPage = await adminContext.newPage();
  });

  test.afterAll(async () => {
    await adminContext.close();
  });

  test("stage move invites candidate, result reaches Lever", async ({ browser }) => {
    test.setTimeout(180_000);
    await signInToTryout(adminPage, credentials.admin);
    await ensureLeverConnected(adminPage);
    await expect(adminPage.getByText("One step left in Lever")).toBeVisible();

    // The Super Admin turns on, in Lever's settings, the one switch the Jobs page names.
    const settings = await adminContext.newPage();
    await settings.goto(simulator("/settings/webhooks"));
    const stageChange = settings.locator("form").filter({ hasText: "candidateStageChange" });
    await stageChange.getByRole("checkbox", { name: "Candidate stage change" }).check();
    await stageChange.getByRole("button", { name: "Save Candidate stage change" }).click();
    await expect(
      settings.locator("form").filter({ hasText: "candidateStageChange" }).getByRole("checkbox"),
    ).toBeChecked();
    await settings.close();

    const email = `rowan.ellis.${Date.now()}@example.com`;
    const opportunityId = await addApplicant("Rowan Ellis", email);
    await moveToInviteStage(opportunityId);
    const link = await openInvitation(adminPage, email);

    await takePassingQuiz(browser, link);

    const opportunity = await waitForOpportunity(
      credentials.lever.simulator_url,
      opportunityId,
      `stage ${credentials.lever.pass_stage_id} with a note`,
      (state) => state.stage === credentials.lever.pass_stage_id && state.notes.length > 0,
    );
    expect(opportunity.notes, "notes on the invited candidate's opportunity").toHaveLength(1);
    expect(opportunity.notes[0].score, "note score of a full-marks quiz (4 = Strong Yes)").toBe(4);

    // Invite the candidate for the next test now, while Lever is connected.
    const waitingEmail = `jo.park.${Date.now()}@example.com`;
    const waitingId = await addApplicant("Jo Park", waitingEmail);
    await moveToInviteStage(waitingId);
    waitingCandidate = { opportunityId: waitingId, link: await openInvitation(adminPage, waitingEmail) };
  });

  test("revocation shows banner, reconnect drains queue", async ({ browser }) => {
    test.setTimeout(240_000);
    await simulatorPost("/_sim/revoke", {});

    const banner = adminPage.getByRole("status").filter({ hasText: "Lever is disconnected: results are kept" });
    await expect(async () => {
      await adminPage.goto("/jobs");
      await waitForHydration(adminPage);
      await expect(banner).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: ONE_POLL_MS, intervals: [2_000] });

    await adminPage.goto("/mailbox");
    await waitForHydration(adminPage);
    await expect(banner, "the banner on another staff page").toBeVisible();

    // A result submitted while Lever is disconnected waits in the queue.
    await takePassingQuiz(browser, waitingCandidate.link);
    await adminPage.goto("/integration?status=pending");
    await waitForHydration(adminPage);
    await expect(adminPage.getByText(waitingCandidate.opportunityId).first()).toBeVisible();

    // Reconnecting sends it.
    await adminPage.goto("/jobs");
    await waitForHydration(adminPage);
    await startLeverConnect(adminPage, credentials);
    await answerLeverConsent(adminPage, credentials.lever.super_admin, "Accept");
    await waitForReturnToTryout(adminPage, credentials);
    await expect(adminPage.getByRole("status").filter({ hasText: "Lever is connected" })).toBeVisible();
    await expect(banner).toHaveCount(0);

    const opportunity = await waitForOpportunity(
      credentials.lever.simulator_url,
      waitingCandidate.opportunityId,
      `stage ${credentials.lever.pass_stage_id} with a note, after the reconnect`,
      (state) => state.stage === credentials.lever.pass_stage_id && state.notes.length > 0,
    );
    expect(opportunity.notes, "notes after the queue drained").toHaveLength(1);
  });
});
