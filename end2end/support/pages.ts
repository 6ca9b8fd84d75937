// Page-level helpers shared by the browser tests.
import { expect, type Page } from "@playwright/test";
import type { Login } from "./demo-credentials";

/**
 * Waits until Leptos has hydrated the server-rendered page: the frontend sets `data-hydrated`
 * on <html> after `hydrate()` returns. A button clicked before hydration does nothing, so call
 * this after every full page load of a Tryout page (goto, reload, the redirect back from Lever).
 */
export async function waitForHydration(page: Page): Promise<void> {
  await page.locator("html[data-hydrated]").waitFor({ state: "attached", timeout: 30_000 });
}

/** Signs in to Tryout as `login` and checks that the Jobs page opens. */
export async function signInToTryout(page: Page, login: Login): Promise<void> {
  await page.goto("/sign-in");
  await waitForHydration(page);
  await page.getByLabel("Email").fill(login.email);
  await page.getByLabel("Password").fill(login.password);
  await page.getByRole("button", { name: "Sign in" }).click();

  await expect(page).toHaveURL(/\/jobs(\?.*)?$/);
  await expect(page.getByRole("heading", { name: "Jobs", exact: true })).toBeVisible();
  await waitForHydration(page);
}

/**
 * Asserts that the page is laid out for the viewport width and needs no horizontal scrolling.
 * On a mobile viewport Chromium widens the layout viewport instead of scrolling: to 980 px without
 * <meta name="viewport">, and to the content's width when content overflows. So innerWidth is checked too.
 */
export async function expectNoHorizontalScroll(page: Page, where: string): Promise<void> {
  const viewportWidth = page.viewportSize()?.width;
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement?.scrollWidth ?? document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(
    innerWidth,
    `layout viewport width of ${where} (wider than the phone when content overflows or <meta name="viewport"> is missing)`,
  ).toBe(viewportWidth);
  expect(scrollWidth, `scroll width of ${where}`).toBeLessThanOrEqual(innerWidth);
}
