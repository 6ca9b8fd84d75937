// A role owner builds a portal in the browser. The demo's Team Member creates a new job, which
// opens in the portal editor. They add a guide, a culture video uploaded from a file (a file
// that is not a video is rejected first), and a screening quiz with one question of every type,
// including a knockout. The editor shows each mistake next to its field (a time limit of
// zero, a choice question with no correct option), reorders steps by keyboard, previews the
// portal as a candidate. Publishing waits for a Lever invite stage, and the page explains that
// before any click. The editor also fits a phone's width.
//
// This file runs first (name order, one demo server). It touches only a job it creates, which
// the other files do not use.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { loadDemoCredentials, type DemoCredentials } from "../support/demo-credentials";
import { expectNoHorizontalScroll, signInToTryout, waitForHydration } from "../support/pages";

let credentials: DemoCredentials;

test.beforeAll(() => {
  credentials = loadDemoCredentials();
});

/** Returns the editor's card of the step whose heading contains `title`. */
function stepCard(page: Page, title: string): Locator {
  return page.locator("li.editor-step").filter({ has: page.getByRole("heading", { name: new RegExp(title) }) });
}

/** Opens the form for a new question of `kind` in the quiz card, fills its prompt, and returns the form. */
async function newQuestion(quiz: Locator, kind: string, prompt: string): Promise<Locator> {
  await quiz.getByLabel("New question type").selectOption({ label: kind });
  await quiz.getByRole("button", { name: "Add question" }).click();
  const form = quiz.locator("form.question-form");
  await expect(form.getByRole("heading", { name: `${kind} question` })).toBeVisible();
  await form.getByLabel("Question", { exact: true }).fill(prompt);
  return form;
}

/**
 * Records a one-second WebM video in the page, from a canvas, with the browser's own encoder;
 * returns its bytes. The test needs a real video file to show that the preview can play it.
 */
async function recordVideo(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = document.createElement("canvas");
    canvas.width = 160;
    canvas.height = 120;
    const context = canvas.getContext("2d")!;
    const recorder = new MediaRecorder(canvas.captureStream(10), { mimeType: "video/webm" });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (event) => chunks.push(event.data);
    const stopped = new Promise((resolve) => (recorder.onstop = resolve));
    recorder.start();
    for (let frame = 0; frame < 10; frame++) {
      context.fillStyle = `hsl(${frame * 36}, 70%, 50%)`;
      context.fillRect(0, 0, 160, 120);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    recorder.stop();
    await stopped;
    const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
    let binary = "";
    bytes.forEach((byte) => (binary += String.fromCharCode(byte)));
    return btoa(binary);
  });
  return Buffer.from(base64, "base64");
}

/** Saves an open question form and waits until its prompt is listed. */
async function saveQuestion(quiz: Locator, form: Locator, prompt: string): Promise<void> {
  await form.getByRole("button", { name: "Save question" }).click();
  await expect(form).toHaveCount(0);
  await expect(quiz.locator("li.question-item").filter({ hasText: prompt })).toBeVisible();
}

test("a Team Member builds a quiz in the portal editor and previews it", async ({ page }) => {
  const title = `Support Engineer ${Date.now().toString(36)}`;

  await signInToTryout(page, credentials.team_member);
  await page.getByText("New job", { exact: true }).click();
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Team (optional)").fill("Support");
  await page.getByRole("button", { name: "Create job and build its portal" }).click();
  await expect(page).toHaveURL(/\/jobs\/[^/]+\/portal$/);
  await expect(page.getByRole("heading", { name: `${title}: portal` })).toBeVisible();
  await waitForHydration(page);
  await expect(page.getByText("This portal has no steps yet.")).toBeVisible();

  // A guide with Markdown.
  await page.getByRole("button", { name: "Recruitment guide" }).click();
  const guide = stepCard(page, "Recruitment guide");
  await expect(guide).toBeVisible();
  await guide.getByRole("button", { name: "Edit step" }).click();
  await guide.getByLabel("Guide (Markdown)").fill("# How we work\n\nWe answer every ticket within a day.");
  await guide.getByRole("button", { name: "Save step" }).click();
  await expect(guide.getByText("We answer every ticket within a day.")).toBeVisible();

  // A quiz whose time limit of zero is rejected next to the field, then fixed.
  await page.getByRole("button", { name: "Screening quiz" }).click();
  const quiz = stepCard(page, "Screening quiz");
  await quiz.getByRole("button", { name: "Edit step" }).click();
  await quiz.getByLabel("Time limit in minutes (empty for none)").fill("0");
  await quiz.getByRole("button", { name: "Save step" }).click();
  await expect(quiz.locator(".field-message").filter({ hasText: "between 1 minute and 240 minutes" })).toBeVisible();
  // The field at fault takes focus, so the author types the fix at once.
  await expect(quiz.getByLabel("Time limit in minutes (empty for none)")).toBeFocused();
  await quiz.getByLabel("Time limit in minutes (empty for none)").fill("15");
  await quiz.getByRole("button", { name: "Save step" }).click();
  await expect(quiz.getByText("15 min time limit")).toBeVisible();
  // The step is redrawn after a save; focus comes back to its Edit step button.
  await expect(quiz.getByRole("button", { name: "Edit step" })).toBeFocused();

  // A single-choice knockout question: saved without a correct option, it is rejected.
  const knockoutPrompt = "Can you work one weekend shift a month?";
  let form = await newQuestion(quiz, "Single choice", knockoutPrompt);
  await form.getByLabel("Option 1", { exact: true }).fill("Yes");
  await form.getByLabel("Option 2", { exact: true }).fill("No");
  await form.getByRole("button", { name: "Save question" }).click();
  await expect(form.locator(".field-message").filter({ hasText: "Mark the correct option." })).toBeVisible();
  await form.getByLabel("Option 1 is correct").check();
  await form.getByLabel(/Knockout/).check();
  await saveQuestion(quiz, form, knockoutPrompt);
  await expect(quiz.locator("li.question-item").filter({ hasText: knockoutPrompt })).toContainText("knockout");

  const multiplePrompt = "Which channels have you supported customers on?";
  form = await newQuestion(quiz, "Multiple choice", multiplePrompt);
  await form.getByLabel("Option 1", { exact: true }).fill("Email");
  await form.getByLabel("Option 2", { exact: true }).fill("Phone");
  await form.getByRole("button", { name: "Add option" }).click();
  await form.getByLabel("Option 3", { exact: true }).fill("Carrier pigeon");
  await form.getByLabel("Option 1 is correct").check();
  await form.getByLabel("Option 2 is correct").check();
  await saveQuestion(quiz, form, multiplePrompt);

  const textPrompt = "Which tool do we use for tickets?";
  form = await newQuestion(quiz, "Short text", textPrompt);
  await form.getByLabel(/Accepted answers/).fill("Zendesk\nzendesk.com");
  await saveQuestion(quiz, form, textPrompt);

  const numberPrompt = "How many minutes is our first-response target?";
  form = await newQuestion(quiz, "Number", numberPrompt);
  await form.getByLabel("Correct number").fill("15");
  await form.getByLabel(/Allowed difference/).fill("0,5");
  await saveQuestion(quiz, form, numberPrompt);
  await expect(quiz.locator("li.question-item").filter({ hasText: numberPrompt })).toContainText("answer 15 ± 0.5");

  // The quiz moves above the guide, by keyboard.
  await quiz.getByRole("button", { name: "Move up" }).first().focus();
  await page.keyboard.press("Enter");
  await expect(page.locator("li.editor-step").first()).toContainText("Screening quiz");
  // The moved step's heading takes focus, so keyboard users stay with the step they moved.
  await expect(page.locator("li.editor-step").first().getByRole("heading", { level: 2 })).toBeFocused();

  // A culture video from a file. A document renamed to .mp4 is rejected next to the field.
  await page.getByRole("button", { name: "Culture video" }).click();
  const culture = stepCard(page, "Culture video");
  await culture.getByRole("button", { name: "Edit step" }).click();
  const fileField = culture.getByLabel(/Upload a video file/);
  await fileField.setInputFiles({ name: "notes.mp4", mimeType: "video/mp4", buffer: Buffer.from("%PDF-1.7 not a video at all") });
  await expect(culture.locator(".field-message").filter({ hasText: "This file is not a video" })).toBeVisible();
  await expect(fileField).toBeFocused();
  await fileField.setInputFiles({ name: "Meet the team.webm", mimeType: "video/webm", buffer: await recordVideo(page) });
  await expect(culture.getByText("Uploaded Meet the team.webm. Save the step to show it to candidates.")).toBeVisible();
  await culture.getByLabel("Title").fill("Meet the support team");
  await culture.getByRole("button", { name: "Save step" }).click();
  await expect(stepCard(page, "Meet the support team").getByText(/Video file: Meet the team\.webm/)).toBeVisible();

  // The preview shows the portal as a candidate sees it, answer keys left out.
  await page.getByRole("link", { name: "Preview as candidate" }).click();
  await expect(page.getByText(/Preview of draft version 1/)).toBeVisible();
  await expect(page.getByRole("heading", { name: title, exact: true })).toBeVisible();
  await expect(page.getByRole("group", { name: knockoutPrompt })).toBeVisible();
  await expect(page.getByRole("heading", { name: "How we work" })).toBeVisible();
  // The uploaded video loads in the browser's own player.
  const player = page.getByLabel("Video: Meet the support team");
  await expect(player).toBeVisible();
  await expect.poll(() => player.evaluate((video: HTMLVideoElement) => video.readyState)).toBeGreaterThanOrEqual(1);
  await page.getByRole("link", { name: "← Back to the portal editor" }).click();
  await waitForHydration(page);

  // Publishing needs the Lever stage that invites candidates. The page states that before any
  // click, and the button stays disabled.
  await expect(page.getByRole("note").filter({ hasText: "choose the Lever stage that invites candidates" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Publish portal" })).toBeDisabled();
  await expect(page.getByText(/Draft, version 1/)).toBeVisible();

  // On a phone the editor needs no sideways scrolling.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await waitForHydration(page);
  await expectNoHorizontalScroll(page, "the portal editor");
});
