// Keyboard users keep their place. After a save that disables its button, focus lands on the
// save's outcome. Escape closes a disclosure or a confirm step with focus back on what opened
// it, and removing a rubric criterion moves focus to a neighbour. And a Team Member who may not
// review a job's candidates gets plain names, with the reason, instead of links that refuse.
//
// This file runs first (name order, one demo server). It saves the Super Admin's own name
// and the branding unchanged, opens and closes a link disclosure without expiring anything,
// and creates one job of its own.
import { expect, test, type Page } from "@playwright/test";
import { loadDemoCredentials, type DemoCredentials } from "../support/demo-credentials";
import { ROLE_NAME } from "../support/journey";
import { signInToTryout, waitForHydration } from "../support/pages";

let credentials: DemoCredentials;

test.beforeAll(() => {
  credentials = loadDemoCredentials();
});

/** Focuses `name`'s button and presses Enter, as a keyboard user submits a form. */
async function pressButton(page: Page, name: string): Promise<void> {
  await page.getByRole("button", { name, exact: true }).focus();
  await page.keyboard.press("Enter");
}

test("saves and Escape keep focus in place", async ({ page }) => {
  await signInToTryout(page, credentials.admin);

  // Saving one's name disables the button while it runs; focus moves to the outcome.
  await page.goto("/account");
  await waitForHydration(page);
  await pressButton(page, "Save name");
  await expect(page.getByText("Name saved.")).toBeVisible();
  await expect(page.locator(".outcome").filter({ hasText: "Name saved." })).toBeFocused();

  // The same for the branding.
  await page.goto("/branding");
  await waitForHydration(page);
  await pressButton(page, "Save branding");
  await expect(page.locator(".outcome").filter({ hasText: "Branding saved." })).toBeFocused();

  // Escape closes the "New job" disclosure from inside its form, with focus back on its summary.
  await page.goto("/jobs");
  await waitForHydration(page);
  const newJob = page.locator("summary", { hasText: "New job" });
  await newJob.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("Title")).toBeVisible();
  await page.getByLabel("Title").focus();
  await page.keyboard.press("Escape");
  await expect(page.getByLabel("Title")).toBeHidden();
  await expect(newJob).toBeFocused();

  // Escape closes the "Expire link…" disclosure and puts focus back on its summary.
  await page.getByRole("link", { name: ROLE_NAME, exact: true }).click();
  await expect(page.getByRole("heading", { name: ROLE_NAME, exact: true })).toBeVisible();
  await waitForHydration(page);
  const summary = page.locator("summary", { hasText: "Expire link…" }).first();
  await summary.focus();
  await page.keyboard.press("Enter");
  const expire = page.getByRole("button", { name: "Expire link now" }).first();
  await expect(expire).toBeVisible();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Escape");
  await expect(expire).toBeHidden();
  await expect(summary).toBeFocused();

  // A new criterion's name takes focus; removing the only one focuses "Add criterion".
  await page.getByRole("link", { name: "Job settings" }).click();
  await expect(page.getByRole("heading", { name: "Review rubric" })).toBeVisible();
  await waitForHydration(page);
  await pressButton(page, "Add criterion");
  await expect(page.getByLabel("Criterion 1 name")).toBeFocused();
  await pressButton(page, "Remove criterion 1");
  await expect(page.getByRole("button", { name: "Add criterion" })).toBeFocused();

  // Escape leaves a step's removal with focus on its "Remove step" button.
  await page.goto("/jobs");
  await waitForHydration(page);
  await page.getByText("New job", { exact: true }).click();
  await page.getByLabel("Title").fill(`Focus check ${Date.now().toString(36)}`);
  await page.getByRole("button", { name: "Create job and build its portal" }).click();
  await expect(page).toHaveURL(/\/jobs\/[^/]+\/portal$/);
  await waitForHydration(page);
  await page.getByRole("button", { name: "Recruitment guide" }).click();
  await expect(page.locator("li.editor-step")).toHaveCount(1);
  await pressButton(page, "Remove step");
  await expect(page.getByRole("button", { name: "Keep it" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("button", { name: "Remove step" })).toBeFocused();
  await expect(page.locator("li.editor-step")).toHaveCount(1);
});

test("a Team Member who may not review sees names without links", async ({ page }) => {
  await signInToTryout(page, credentials.team_member);
  await page.getByRole("link", { name: ROLE_NAME, exact: true }).click();
  await expect(page.getByRole("heading", { name: ROLE_NAME, exact: true })).toBeVisible();

  await expect(page.getByRole("note").filter({ hasText: "You can see these candidates but not review them." })).toBeVisible();
  await expect(page.getByRole("table").getByRole("link")).toHaveCount(0);
  await expect(page.getByRole("table")).toContainText(credentials.candidates[0].name);
});
