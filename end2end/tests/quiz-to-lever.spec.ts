// From quiz to Lever. An admin connects Lever through the simulator's OAuth pages, and candidates
// take the screening quiz in their own browser contexts. Then the tests read from the simulator
// what Lever ended up with: stage, archive reason, the result note and its score.
import { expect, test, type Browser, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { loadDemoCredentials, type DemoCandidate, type DemoCredentials, type Login } from "../support/demo-credentials";
import { readOpportunity, waitForOpportunity } from "../support/lever-simulator";
import { expectNoHorizontalScroll, signInToTryout, waitForHydration } from "../support/pages";
import {
  AutosaveTracker,
  MAX_POINTS,
  SCREENING_QUIZ,
  answerQuestion,
  answerTexts,
  expectAnswerShown,
  questionGroup,
  readRemainingSeconds,
  type Answer,
  type QuizQuestion,
} from "../support/screening-quiz";

const ROLE_NAME = "Backend Engineer";
const GUIDE_STEP = "Welcome to Northwind";
const QUIZ_STEP = "Screening quiz";
const INCIDENT_ANSWER =
  "Our checkout service ran out of database connections during a sale. I found the leaking " +
  "transaction, raised the pool limit for the night and wrote the postmortem.";
const PHONE_VIEWPORT = { width: 390, height: 844 };

let credentials: DemoCredentials;

test.beforeAll(() => {
  credentials = loadDemoCredentials();
});

/** Returns each question with its correct answer, and the incident text for the free-text question. */
function correctAnswers(): Array<[QuizQuestion, Answer]> {
  return SCREENING_QUIZ.map((question) => [question, question.correct ?? { kind: "text", value: INCIDENT_ANSWER }]);
}

function findQuestion(prompt: string): QuizQuestion {
  const question = SCREENING_QUIZ.find((candidate) => candidate.prompt === prompt);
  if (question === undefined) {
    throw new Error(`no quiz question with prompt "${prompt}"`);
  }
  return question;
}

async function newAdminPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: credentials.url });
  return { context, page: await context.newPage() };
}

/**
 * Opens "Connect your ATS", picks Lever, checks the permission list and clicks Continue.
 * Returns the authorize URL Tryout sent the browser to, with its query.
 */
async function startLeverConnect(page: Page): Promise<URL> {
  const authorizePrefix = `${credentials.lever.simulator_url.replace(/\/$/, "")}/authorize`;

  await page.getByRole("button", { name: "Connect your ATS" }).click();
  const dialog = page.getByRole("dialog", { name: "Connect your ATS" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Lever", exact: true }).click();

  // The integrations may be a list too, so the permissions are the list without a Lever button.
  const permissions = dialog
    .getByRole("list")
    .filter({ hasNot: page.getByRole("button", { name: "Lever", exact: true }) });
  await expect(permissions.first()).toBeVisible();
  expect(await permissions.first().getByRole("listitem").count(), "permissions Tryout will request").toBeGreaterThan(0);

  const authorizeRequest = page.waitForRequest((request) => request.url().startsWith(authorizePrefix));
  await dialog.getByRole("button", { name: "Continue" }).click();
  const authorizeUrl = new URL((await authorizeRequest).url());
  await page.waitForURL((url) => url.href.startsWith(authorizePrefix));
  return authorizeUrl;
}

/** Signs in to the simulated Lever if it shows its sign-in form, then clicks Accept or Deny on the consent page. */
async function answerLeverConsent(page: Page, superAdmin: Login, decision: "Accept" | "Deny"): Promise<void> {
  const emailField = page.getByLabel("Email");
  const decisionButton = page.getByRole("button", { name: decision, exact: true });
  await expect(emailField.or(decisionButton).first()).toBeVisible();

  if (await emailField.isVisible()) {
    await emailField.fill(superAdmin.email);
    await page.getByLabel("Password").fill(superAdmin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
  }
  await decisionButton.click();
}

/** Leaves the simulator's pages and waits for Tryout's page to hydrate. */
async function waitForReturnToTryout(page: Page): Promise<void> {
  await page.waitForURL((url) => url.origin === new URL(credentials.url).origin && !url.pathname.startsWith("/_lever"));
  await waitForHydration(page);
}

async function openPortal(page: Page, candidate: DemoCandidate): Promise<void> {
  await page.goto(candidate.link);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { name: ROLE_NAME })).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: GUIDE_STEP })).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: QUIZ_STEP })).toBeVisible();
}

/**
 * Clicks the "Open" link or button of the step named `stepName` on the overview.
 * The caller waits for the step's page and then for hydration, since the click may load a new document.
 */
async function clickOpenStep(page: Page, stepName: string): Promise<void> {
  const step = page.getByRole("listitem").filter({ hasText: stepName });
  await step.getByRole("link", { name: "Open" }).or(step.getByRole("button", { name: "Open" })).first().click();
}

/**
 * Opens the guide step, marks it read and goes back to the overview. The demo may unlock the quiz
 * only after the guide, so every candidate reads it first. `checkGuidePage` runs on the guide page.
 */
async function readWelcomeGuide(page: Page, checkGuidePage?: () => Promise<void>): Promise<void> {
  await clickOpenStep(page, GUIDE_STEP);
  const markAsRead = page.getByRole("button", { name: "Mark as read" });
  await expect(markAsRead).toBeVisible();
  await waitForHydration(page);
  await expect(page.getByRole("heading", { name: GUIDE_STEP })).toBeVisible();
  await checkGuidePage?.();

  // Leptos serves server functions under /api/. Waiting for the response keeps the mark from being
  // cut off by the navigation that follows.
  const markResponse = page.waitForResponse(
    (response) => response.request().method() === "POST" && new URL(response.url()).pathname.startsWith("/api/"),
  );
  await markAsRead.click();
  expect((await markResponse).ok(), "response to Mark as read").toBe(true);

  await page.getByRole("link", { name: "Back to your steps" }).click();
  await expect(markAsRead).toHaveCount(0);
  await expect(page.getByRole("listitem").filter({ hasText: QUIZ_STEP })).toBeVisible();
  await waitForHydration(page);
}

/** Opens the quiz step and waits until its "Start quiz" button can be used. */
async function openQuizStep(page: Page): Promise<Locator> {
  await clickOpenStep(page, QUIZ_STEP);
  const startButton = page.getByRole("button", { name: "Start quiz" });
  await expect(startButton).toBeVisible();
  await waitForHydration(page);
  return startButton;
}

/** Waits for the started quiz: the countdown, the questions, and hydration if starting loaded a new document. */
async function waitForQuizQuestions(page: Page): Promise<void> {
  await expect(page.getByRole("timer")).toBeVisible();
  await expect(questionGroup(page, SCREENING_QUIZ[0])).toBeVisible();
  await waitForHydration(page);
}

async function startQuiz(page: Page): Promise<void> {
  const startButton = await openQuizStep(page);
  await startButton.click();
  await waitForQuizQuestions(page);
}

async function submitQuiz(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Submit answers" }).click();
  await expect(page.getByText("Your answers have been submitted")).toBeVisible();
}

/** Answers every question as given, then submits. */
async function takeQuiz(page: Page, answers: Array<[QuizQuestion, Answer]>): Promise<void> {
  const saves = new AutosaveTracker(page);
  for (const [question, answer] of answers) {
    await answerQuestion(page, saves, question, answer);
  }
  await submitQuiz(page);
}

test.describe("Lever consent denied", () => {
  test("deny leaves Lever disconnected", async ({ browser }) => {
    const { context, page } = await newAdminPage(browser);
    try {
      await signInToTryout(page, credentials.admin);
      await startLeverConnect(page);
      await answerLeverConsent(page, credentials.lever.super_admin, "Deny");
      await waitForReturnToTryout(page);
      await expect(page).toHaveURL(/\/jobs\?lever_error=denied$/);
      await expect(page.getByRole("alert")).toContainText("access was denied on Lever's consent page");

      await page.goto("/jobs");
      await waitForHydration(page);
      await expect(page.getByText("Lever is connected")).toHaveCount(0);
      await expect(page.getByRole("button", { name: "Connect your ATS" })).toBeVisible();
    } finally {
      await context.close();
    }
  });
});

test.describe("Lever connect permissions", () => {
  test("team member is told who can connect", async ({ browser }) => {
    const { context, page } = await newAdminPage(browser);
    try {
      await signInToTryout(page, credentials.team_member);
      await page.getByRole("button", { name: "Connect your ATS" }).click();
      const dialog = page.getByRole("dialog", { name: "Connect your ATS" });
      await dialog.getByRole("button", { name: "Lever", exact: true }).click();

      await expect(dialog).toContainText("Only a Super Admin can connect Lever. Ask a Super Admin (Alex Rivera)");
      await expect(dialog.getByRole("button", { name: "Continue" })).toHaveCount(0);
    } finally {
      await context.close();
    }
  });
});

test.describe("quiz results reach Lever", () => {
  test.describe.configure({ mode: "serial" });

  let adminContext: BrowserContext;
  let adminPage: Page;

  test.beforeAll(async ({ browser }) => {
    ({ context: adminContext, page: adminPage } = await newAdminPage(browser));
  });

  test.afterAll(async () => {
    await adminContext.close();
  });

  test("admin connects Lever", async () => {
    await signInToTryout(adminPage, credentials.admin);
    await expect(adminPage.getByText(ROLE_NAME).first()).toBeVisible();
    await expect(adminPage.getByRole("button", { name: `Settings for ${ROLE_NAME}` })).toBeVisible();

    const authorizeUrl = await startLeverConnect(adminPage);
    const query = authorizeUrl.searchParams;
    expect(query.get("response_type"), "response_type").toBe("code");
    expect(query.get("client_id"), "client_id").toBeTruthy();
    expect(query.get("state"), "state").toBeTruthy();
    expect(query.get("audience"), "audience").toBeTruthy();
    const redirectUri = query.get("redirect_uri") ?? "";
    expect(redirectUri.startsWith(`${credentials.url.replace(/\/$/, "")}/`), `redirect_uri ${redirectUri} is on Tryout`).toBe(
      true,
    );
    expect((query.get("scope") ?? "").split(" "), "scope").toContain("offline_access");

    await answerLeverConsent(adminPage, credentials.lever.super_admin, "Accept");
    await waitForReturnToTryout(adminPage);
    await expect(adminPage).toHaveURL(/\/jobs(\?.*)?$/);
    await expect(adminPage.getByRole("status").filter({ hasText: "Lever is connected" })).toBeVisible();
  });

  test("passing candidate gets one strong-yes note", async ({ browser }) => {
    test.setTimeout(180_000);
    const candidate = credentials.candidates[0];
    const answers = correctAnswers();
    const firstHalf = answers.slice(0, Math.ceil(answers.length / 2));
    const secondHalf = answers.slice(firstHalf.length);

    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const saves = new AutosaveTracker(page);
      await openPortal(page, candidate);
      await readWelcomeGuide(page);
      await startQuiz(page);

      const remainingAtStart = await readRemainingSeconds(page);
      const readAtStart = Date.now();
      for (const [question, answer] of firstHalf) {
        await answerQuestion(page, saves, question, answer);
      }

      // At least 3 s pass before the reload, so a countdown that restarted shows more time left
      // than the check below allows.
      await page.waitForTimeout(Math.max(0, 3_000 - (Date.now() - readAtStart)));
      await page.reload();
      await waitForHydration(page);
      const elapsedSeconds = Math.floor((Date.now() - readAtStart) / 1000);
      const remainingAfterReload = await readRemainingSeconds(page);
      // Each reading may be off by one second of display rounding, hence the 2 s allowance.
      expect(remainingAfterReload, "seconds left after the reload (the countdown must not restart)").toBeLessThanOrEqual(
        remainingAtStart - elapsedSeconds + 2,
      );
      expect(remainingAfterReload, "seconds left after the reload").toBeGreaterThan(0);
      await expect(page.getByRole("button", { name: "Start quiz" })).toHaveCount(0);

      await page.waitForTimeout(2_500);
      expect(await readRemainingSeconds(page), "the countdown keeps running after the reload").toBeLessThan(
        remainingAfterReload,
      );

      for (const [question, answer] of firstHalf) {
        await expectAnswerShown(page, question, answer);
      }
      for (const [question, answer] of secondHalf) {
        await answerQuestion(page, saves, question, answer);
      }
      await submitQuiz(page);
    } finally {
      await context.close();
    }

    const opportunity = await waitForOpportunity(
      credentials.lever.simulator_url,
      candidate.opportunity_id,
      `stage ${credentials.lever.pass_stage_id} with a note`,
      (state) => state.stage === credentials.lever.pass_stage_id && state.notes.length > 0,
    );
    expect(opportunity.archiveReason, "archive reason of a passing candidate").toBeNull();
    expect(opportunity.notes, "notes on the opportunity").toHaveLength(1);

    const note = opportunity.notes[0];
    expect(note.score, "note score (4 = Strong Yes at 85 % or more)").toBe(4);
    expect(note.text).toContain(`${MAX_POINTS} / ${MAX_POINTS}`);
    for (const [question, answer] of answers) {
      expect(note.text, "note text").toContain(question.prompt);
      for (const text of answerTexts(answer)) {
        expect(note.text, `note text, answer to "${question.prompt}"`).toContain(text);
      }
    }
  });

  test("knockout answer archives candidate", async ({ browser }) => {
    test.setTimeout(180_000);
    const candidate = credentials.candidates[1];
    const workPermit = findQuestion("Are you legally authorised to work in the European Union?");
    const answers = correctAnswers().map(([question, answer]): [QuizQuestion, Answer] =>
      question === workPermit ? [question, { kind: "single", option: "No" }] : [question, answer],
    );

    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await openPortal(page, candidate);
      await readWelcomeGuide(page);
      await startQuiz(page);
      await takeQuiz(page, answers);
    } finally {
      await context.close();
    }

    const opportunity = await waitForOpportunity(
      credentials.lever.simulator_url,
      candidate.opportunity_id,
      `archived with reason ${credentials.lever.fail_archive_reason_id} and a note`,
      (state) => state.archiveReason === credentials.lever.fail_archive_reason_id && state.notes.length > 0,
    );
    expect(opportunity.stage, "stage of a candidate who failed a knockout").not.toBe(credentials.lever.pass_stage_id);
    expect(opportunity.notes, "notes on the opportunity").toHaveLength(1);
    expect(opportunity.notes[0].score, "note score (1 = Strong No on a failed knockout)").toBe(1);
    expect(opportunity.notes[0].text).toMatch(/knockout/i);

    // By now the first candidate's note has had this whole test's time to be duplicated by a retry.
    const firstCandidate = await readOpportunity(credentials.lever.simulator_url, credentials.candidates[0].opportunity_id);
    expect(firstCandidate.notes, "notes on the passing candidate's opportunity, read again").toHaveLength(1);
  });
});

test.describe("candidate portal on a phone", () => {
  test("fits 390 px and answers by keyboard", async ({ browser }) => {
    const candidate = credentials.candidates[2];
    const context = await browser.newContext({
      viewport: PHONE_VIEWPORT,
      deviceScaleFactor: 3,
      isMobile: true,
      hasTouch: true,
    });
    try {
      const page = await context.newPage();
      const saves = new AutosaveTracker(page);
      await openPortal(page, candidate);
      await expectNoHorizontalScroll(page, "the candidate overview");
      await readWelcomeGuide(page, () => expectNoHorizontalScroll(page, "the guide"));

      const startButton = await openQuizStep(page);
      await expectNoHorizontalScroll(page, "the quiz start page");
      await focusByTab(page, startButton);
      await page.keyboard.press("Enter");
      await waitForQuizQuestions(page);
      await expectNoHorizontalScroll(page, "the quiz questions");

      const statusCode = findQuestion("Which HTTP status code means the client sent too many requests?");
      let mark = saves.mark();
      await chooseRadioByKeyboard(page, statusCode, "429");
      await saves.waitForSavesAfter(mark);

      const acid = findQuestion("Which of these are ACID properties?");
      const acidAnswer = ["Atomicity", "Consistency", "Isolation", "Durability"];
      mark = saves.mark();
      await setCheckboxesByKeyboard(page, acid, acidAnswer);
      await saves.waitForSavesAfter(mark);

      await page.reload();
      await waitForHydration(page);
      await expectAnswerShown(page, statusCode, { kind: "single", option: "429" });
      await expectAnswerShown(page, acid, { kind: "multiple", options: acidAnswer });
      await expectNoHorizontalScroll(page, "the quiz after a reload");
    } finally {
      await context.close();
    }
  });
});

const MAX_TAB_PRESSES = 80;

/** Presses Tab until focus is on or inside `target`; fails if it never gets there. */
async function focusByTab(page: Page, target: Locator): Promise<void> {
  for (let presses = 0; presses < MAX_TAB_PRESSES; presses += 1) {
    if (await target.evaluate((element) => element.contains(document.activeElement))) {
      return;
    }
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab did not reach the target within ${MAX_TAB_PRESSES} presses`);
}

/** Returns the label text of the focused input, or null if focus is not on an input. */
async function focusedInputLabel(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!(element instanceof HTMLInputElement)) {
      return null;
    }
    return element.labels?.[0]?.textContent?.trim() ?? element.getAttribute("aria-label");
  });
}

/** Tabs into the question's radio group and moves through it with the arrow keys until `option` is checked. */
async function chooseRadioByKeyboard(page: Page, question: QuizQuestion, option: string): Promise<void> {
  const group = questionGroup(page, question);
  const target = group.getByRole("radio", { name: option, exact: true });
  await focusByTab(page, group);

  for (let presses = 0; presses <= question.options.length; presses += 1) {
    if (await target.isChecked()) {
      return;
    }
    if ((await focusedInputLabel(page)) === option) {
      await page.keyboard.press("Space");
    } else {
      await page.keyboard.press("ArrowDown");
    }
  }
  await expect(target, `"${option}" chosen with the arrow keys`).toBeChecked();
}

/** Tabs through the question's checkboxes and toggles with Space each one whose state differs from `wanted`. */
async function setCheckboxesByKeyboard(page: Page, question: QuizQuestion, wanted: string[]): Promise<void> {
  const group = questionGroup(page, question);
  await focusByTab(page, group);

  for (let visited = 0; visited < question.options.length; visited += 1) {
    const label = await focusedInputLabel(page);
    if (label === null || !question.options.includes(label)) {
      throw new Error(`focus left the checkboxes of "${question.prompt}" after ${visited} of them (on "${label}")`);
    }
    const checked = await page.evaluate(() => (document.activeElement as HTMLInputElement).checked);
    if (checked !== wanted.includes(label)) {
      await page.keyboard.press("Space");
    }
    if (visited < question.options.length - 1) {
      await page.keyboard.press("Tab");
    }
  }
  for (const option of question.options) {
    const checkbox = group.getByRole("checkbox", { name: option, exact: true });
    if (wanted.includes(option)) {
      await expect(checkbox, `"${option}" toggled with Space`).toBeChecked();
    } else {
      await expect(checkbox, `"${option}" toggled with Space`).not.toBeChecked();
    }
  }
}
