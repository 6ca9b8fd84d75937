// An Admin shapes what candidates see. They import a Lever posting as a new job, whose title
// then follows Lever, and set the organization's logo, accent colour and welcome text. A colour
// with too little contrast is rejected next to its field, and the saved logo, colour and text
// reach a candidate's portal.
//
// This file runs after quiz-to-lever.spec.ts (name order, one demo server), which connects
// Lever, so the posting list is loaded. It imports the demo's one posting without a job and
// puts the branding back to Tryout's own at the end, so later files see the portal unchanged.
import { expect, test } from "@playwright/test";
import { loadDemoCredentials, type DemoCredentials } from "../support/demo-credentials";
import { openPortal } from "../support/journey";
import { signInToTryout, waitForHydration } from "../support/pages";

const IMPORTED_POSTING = "Product Designer";

let credentials: DemoCredentials;

/** A PNG image of one transparent pixel. */
const ONE_PIXEL_PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

test.beforeAll(() => {
  credentials = loadDemoCredentials();
});

test("an Admin imports a Lever posting as a job", async ({ page }) => {
  await signInToTryout(page, credentials.admin);
  await page.goto("/jobs");
  await waitForHydration(page);

  await page.getByText("Import from Lever").click();
  const postings = page.getByRole("list", { name: "Lever postings without a job" });
  await expect(postings).toContainText(IMPORTED_POSTING);
  const row = postings.getByRole("listitem").filter({ hasText: IMPORTED_POSTING });
  await row.getByRole("button", { name: "Import" }).click();

  await expect(page).toHaveURL(/\/jobs\/[^/]+\/portal$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(IMPORTED_POSTING);
  const settings = page.url().replace(/\/portal$/, "/settings");
  await page.goto(settings);
  await waitForHydration(page);
  await expect(page.getByLabel("Title", { exact: true })).toHaveValue(IMPORTED_POSTING);
  await expect(page.getByLabel("Title", { exact: true })).toHaveAttribute("readonly", "");
  await expect(page.getByText("follow this job's Lever posting")).toBeVisible();
  await expect(page.getByLabel("Introduction for candidates (Markdown)")).toHaveValue(/Design the tools/);
});

test("branding is checked and reaches the candidate's portal", async ({ browser }) => {
  const context = await browser.newContext();
  const admin = await context.newPage();
  await signInToTryout(admin, credentials.admin);
  await admin.getByRole("link", { name: "Branding", exact: true }).click();
  await expect(admin.getByRole("heading", { name: "Branding", exact: true })).toBeVisible();
  await waitForHydration(admin);

  const accent = admin.getByLabel(/^Accent colour/);
  await accent.fill("#ffcc00");
  await admin.getByRole("button", { name: "Save branding" }).click();
  await expect(admin.locator("#accent-error")).toContainText("1.5:1");
  await expect(accent).toHaveAttribute("aria-invalid", "true");

  const welcome = `Welcome from the Northwind hiring team ${Date.now().toString(36)}.`;
  await admin.getByLabel(/^Accent colour/).fill("#0b3d2e");
  await admin.getByLabel(/^Welcome text/).fill(welcome);
  await admin.getByRole("button", { name: "Save branding" }).click();
  await expect(admin.getByRole("status").filter({ hasText: "Branding saved" })).toBeVisible();

  // A logo is stored as soon as it is chosen: a one-pixel PNG.
  // A keyboard user opens the file picker from the field, so focus starts there and stays.
  const logoField = admin.getByLabel(/^Upload a logo/);
  await logoField.focus();
  await logoField.setInputFiles({ name: "northwind.png", mimeType: "image/png", buffer: Buffer.from(ONE_PIXEL_PNG, "base64") });
  await expect(admin.getByRole("status").filter({ hasText: "Logo saved" })).toBeVisible();
  await expect(logoField).toBeFocused();
  const preview = admin.getByRole("img", { name: "Your organization's current logo" });
  await expect.poll(() => preview.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(1);

  const candidate = await (await browser.newContext()).newPage();
  await openPortal(candidate, credentials.candidates[0].link);
  await expect(candidate.getByText(welcome)).toBeVisible();
  await expect(candidate.locator(".portal-brand")).toHaveAttribute("style", /--accent: #0b3d2e/);
  const portalLogo = candidate.locator("img.portal-logo");
  await expect.poll(() => portalLogo.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(1);

  // Removing the logo returns focus to the file field.
  await admin.getByRole("button", { name: "Remove logo" }).click();
  await expect(admin.getByRole("status").filter({ hasText: "Logo removed" })).toBeVisible();
  await expect(logoField).toBeFocused();

  // Back to Tryout's own colour and no welcome text, for the files that run after this one.
  await admin.getByLabel(/^Accent colour/).fill("");
  await admin.getByLabel(/^Welcome text/).fill("");
  await Promise.all([
    admin.waitForResponse((response) => response.url().includes("/api/save_branding")),
    admin.getByRole("button", { name: "Save branding" }).click(),
  ]);
  await expect(async () => {
    await admin.reload();
    await waitForHydration(admin);
    await expect(admin.getByLabel(/^Accent colour/)).toHaveValue("", { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await context.close();
});
