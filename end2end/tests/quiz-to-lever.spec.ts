// From quiz to Lever. An admin connects Lever through the simulator's OAuth pages, and candidates
// take the screening quiz in their own browser contexts. Then the tests read from the simulator
// what Lever ended up with: stage, archive reason, the result note and its score.
import { expect, test, type Browser, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { loadDemoCredentials, type DemoCredentials } from "../support/demo-credentials";
import {
  ROLE_NAME,
  answerLeverConsent,
  correctAnswers,
  openPortal,
  openQuizStep,
  readWelcomeGuide,
  startLeverConnect,
  startQuiz,
  submitQuiz,
  takeQuiz,
  waitForQuizQuestions,
  waitForReturnToTryout,
} from "../support/journey";
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

const PHONE_VIEWPORT = { width: 390, height: 844 };

let credentials: DemoCredentials;

test.beforeAll(() => {
  credentials = loadDemoCredentials();
});

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

test.describe("Lever consent denied", () => {
  test("deny leaves Lever disconnected", async ({ browser }) => {
    const { context, page } = await newAdminPage(browser);
    try {
      await signInToTryout(page, credentials.admin);
      await startLeverConnect(page, credentials);
      await answerLeverConsent(page, credentials.lever.super_admin, "Deny");
      await waitForReturnToTryout(page, credentials);
      await expect(page).toHaveURL(/\/jobs\?lever_error=denied$/);
      await expect(page.getByRole("alert")).toContainText("access was denied on Lever's consent page");

      await page.goto("/jobs");
      await waitForHydration(page);
      await expect(page.locator("#lever-connection")).not.toContainText("Lever is connected");
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

    const authorizeUrl = await startLeverConnect(adminPage, credentials);
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
    await waitForReturnToTryout(adminPage, credentials);
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
      await openPortal(page, candidate.link);
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
      await openPortal(page, candidate.link);
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
      await openPortal(page, candidate.link);
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
