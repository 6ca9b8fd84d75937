// Playwright configuration for Tryout's browser tests.
//
// Only the chromium project runs, on Debian's /usr/bin/chromium: Playwright's own browser builds
// are never downloaded. global-setup.ts starts a `tryout demo` server and exports TRYOUT_URL,
// which becomes `baseURL` when the worker processes load this file.
import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: "./tests",
  globalSetup: "./global-setup.ts",

  // All tests share one demo server and change its state (a submitted quiz cannot be taken again),
  // so they run one at a time, in file order, and a retry would fail for a different reason than
  // the first attempt. That is also why CI gets no retries.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,

  timeout: 90_000,
  expect: { timeout: 10_000 },

  // The html reporter would wait for a browser on failure. The JSON file is what scripts/test counts.
  reporter: [["list"], ["json", { outputFile: "playwright-report/results.json" }]],

  use: {
    baseURL: process.env.TRYOUT_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },

  projects: [
    {
      name: "chromium",
      use: {
        browserName: "chromium",
        launchOptions: {
          executablePath: "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        },
      },
    },
  ],
});
