// The steps of the journeys the browser tests share: connecting Lever as a Super Admin through
// the simulator's consent page, and a candidate's walk through the demo role's portal (the
// guide, then the screening quiz).
import { expect, type Locator, type Page } from "@playwright/test";
import type { DemoCredentials, Login } from "./demo-credentials";
import { waitForHydration } from "./pages";
import {
  AutosaveTracker,
  SCREENING_QUIZ,
  answerQuestion,
  questionGroup,
  type Answer,
  type QuizQuestion,
} from "./screening-quiz";

export const ROLE_NAME = "Backend Engineer";
export const GUIDE_STEP = "Welcome to Northwind";
export const QUIZ_STEP = "Screening quiz";
const INCIDENT_ANSWER =
  "Our checkout service ran out of database connections during a sale. I found the leaking " +
  "transaction, raised the pool limit for the night and wrote the postmortem.";

/** Returns each question with its correct answer, and the incident text for the free-text question. */
export function correctAnswers(): Array<[QuizQuestion, Answer]> {
  return SCREENING_QUIZ.map((question) => [question, question.correct ?? { kind: "text", value: INCIDENT_ANSWER }]);
}

/**
 * Opens "Connect your ATS", picks Lever, checks the permission list and clicks Continue.
 * Returns the authorize URL Tryout sent the browser to, with its query.
 */
export async function startLeverConnect(page: Page, credentials: DemoCredentials): Promise<URL> {
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
export async function answerLeverConsent(page: Page, superAdmin: Login, decision: "Accept" | "Deny"): Promise<void> {
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
export async function waitForReturnToTryout(page: Page, credentials: DemoCredentials): Promise<void> {
  await page.waitForURL((url) => url.origin === new URL(credentials.url).origin && !url.pathname.startsWith("/_lever"));
  await waitForHydration(page);
}

export async function openPortal(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { name: ROLE_NAME })).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: GUIDE_STEP })).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: QUIZ_STEP })).toBeVisible();
}

/**
 * Clicks the "Open" link or button of the step named `stepName` on the overview.
 * The caller waits for the step's page and then for hydration, since the click may load a new document.
 */
export async function clickOpenStep(page: Page, stepName: string): Promise<void> {
  const step = page.getByRole("listitem").filter({ hasText: stepName });
  await step.getByRole("link", { name: "Open" }).or(step.getByRole("button", { name: "Open" })).first().click();
}

/**
 * Opens the guide step, marks it read and goes back to the overview. The demo may unlock the quiz
 * only after the guide, so every candidate reads it first. `checkGuidePage` runs on the guide page.
 */
export async function readWelcomeGuide(page: Page, checkGuidePage?: () => Promise<void>): Promise<void> {
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
export async function openQuizStep(page: Page): Promise<Locator> {
  await clickOpenStep(page, QUIZ_STEP);
  const startButton = page.getByRole("button", { name: "Start quiz" });
  await expect(startButton).toBeVisible();
  await waitForHydration(page);
  return startButton;
}

/** Waits for the started quiz: the countdown, the questions, and hydration if starting loaded a new document. */
export async function waitForQuizQuestions(page: Page): Promise<void> {
  await expect(page.getByRole("timer")).toBeVisible();
  await expect(questionGroup(page, SCREENING_QUIZ[0])).toBeVisible();
  await waitForHydration(page);
}

export async function startQuiz(page: Page): Promise<void> {
  const startButton = await openQuizStep(page);
  await startButton.click();
  await waitForQuizQuestions(page);
}

export async function submitQuiz(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Submit answers" }).click();
  await expect(page.getByText("Your answers have been submitted")).toBeVisible();
}

/** Answers every question as given, then submits. */
export async function takeQuiz(page: Page, answers: Array<[QuizQuestion, Answer]>): Promise<void> {
  const saves = new AutosaveTracker(page);
  for (const [question, answer] of answers) {
    await answerQuestion(page, saves, question, answer);
  }
  await submitQuiz(page);
}

