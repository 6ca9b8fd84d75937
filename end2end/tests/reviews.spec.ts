// Two colleagues review a candidate who finished the demo role's quiz. The Super Admin sets the
// role's rubric and makes the demo Team Member a reviewer. Each scores the candidate on their
// own: the Team Member sees that a review exists but not what it says until they submit theirs.
//
// This file runs after quiz-to-lever.spec.ts (name order, one demo server), whose first test
// has the first demo candidate finish the quiz. It adds a rubric and a reviewer to the demo
// role, which the later files do not look at.
import { expect, test, type Page } from "@playwright/test";
import { loadDemoCredentials, type DemoCredentials } from "../support/demo-credentials";
import { ROLE_NAME } from "../support/journey";
import { signInToTryout, waitForHydration } from "../support/pages";

let credentials: DemoCredentials;

test.beforeAll(() => {
  credentials = loadDemoCredentials();
});

/** Opens the demo role's page for its first candidate from the candidates table. */
async function openCandidate(page: Page, name: string): Promise<void> {
  await page.goto("/jobs");
  await waitForHydration(page);
  await page.getByRole("link", { name: ROLE_NAME, exact: true }).click();
  await expect(page.getByRole("heading", { name: ROLE_NAME, exact: true })).toBeVisible();
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { name, exact: true })).toBeVisible();
  await waitForHydration(page);
}

/** Chooses a point of a 1 to 4 scale by its label. */
async function choose(page: Page, group: string, label: string): Promise<void> {
  await page.getByRole("group", { name: group }).getByLabel(label, { exact: true }).check();
}

test("two reviewers score a candidate independently", async ({ browser }) => {
  const candidate = credentials.candidates[0];
  const stamp = Date.now().toString(36);
  const adminComment = `Clear incident write-up ${stamp}`;

  // The Team Member's name, as the Staff page and the member list show it.
  const memberContext = await browser.newContext();
  const member = await memberContext.newPage();
  await signInToTryout(member, credentials.team_member);
  const memberName = ((await member.locator(".me").textContent()) ?? "").split(" · ")[0].trim();
  expect(memberName, "the Team Member's name in the header").not.toBe("");

  // The Super Admin gives the role a rubric and makes the Team Member a reviewer.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInToTryout(admin, credentials.admin);
  await admin.getByRole("link", { name: new RegExp(`settings of ${ROLE_NAME}$`) }).click();
  await expect(admin.getByRole("heading", { name: "Review rubric" })).toBeVisible();
  await waitForHydration(admin);
  await admin.getByRole("button", { name: "Add criterion" }).click();
  await admin.getByLabel("Criterion 1 name").fill("Problem solving");
  await admin.getByRole("button", { name: "Add criterion" }).click();
  await admin.getByLabel("Criterion 2 name").fill("Communication");
  await admin.getByRole("button", { name: "Save rubric" }).click();
  await expect(admin.getByRole("status").filter({ hasText: "Rubric saved." })).toBeVisible();
  await admin.locator("#member-staff").selectOption({ label: `${memberName} (Team Member)` });
  await admin.locator("#member-membership").selectOption("reviewer");
  await admin.getByRole("button", { name: "Add to this job" }).click();
  await expect(admin.locator(".member-list")).toContainText(`${memberName} · Team Member · Reviewer`);

  // The Super Admin reviews first. A missing score is named, and its first choice takes focus.
  await openCandidate(admin, candidate.name);
  await expect(admin.getByText("Nobody else has reviewed this candidate yet.")).toBeVisible();
  await choose(admin, "Problem solving (1 weakest, 4 strongest)", "4");
  await admin.getByRole("button", { name: "Submit review" }).click();
  await expect(admin.getByRole("alert")).toContainText("Score criterion 2 before you submit.");
  await expect(admin.locator("#score-1-1")).toBeFocused();
  await choose(admin, "Communication (1 weakest, 4 strongest)", "3");
  await choose(admin, "Overall recommendation", "Strong yes");
  await admin.getByLabel("Comment (optional)").fill(adminComment);
  await admin.getByRole("button", { name: "Submit review" }).click();
  await expect(admin.getByRole("status").filter({ hasText: "Your review is submitted." })).toBeVisible();
  const yours = admin.getByRole("region", { name: "Your review" });
  await expect(yours).toContainText("Strong yes (4/4)");
  await expect(yours).toContainText(adminComment);
  await adminContext.close();

  // The Team Member sees that a review exists, but not its scores or comment.
  await openCandidate(member, candidate.name);
  await expect(member.getByText("1 colleague has reviewed this candidate. You see their review once you submit yours.")).toBeVisible();
  await expect(member.getByText(adminComment)).toHaveCount(0);
  await choose(member, "Problem solving (1 weakest, 4 strongest)", "3");
  await choose(member, "Communication (1 weakest, 4 strongest)", "2");
  await choose(member, "Overall recommendation", "Yes");
  await member.getByRole("button", { name: "Submit review" }).click();
  await expect(member.getByRole("status").filter({ hasText: "Your review is submitted." })).toBeVisible();

  // Now both reviews are in view, and the candidates table counts them.
  const others = member.getByRole("region", { name: "Other reviews" });
  await expect(others).toContainText("Strong yes (4/4)");
  await expect(others).toContainText(adminComment);
  await expect(member.getByRole("region", { name: "Your review" })).toContainText("Yes (3/4)");
  await member.getByRole("link", { name: "← All candidates of this job" }).click();
  await expect(member.getByRole("row").filter({ hasText: candidate.name })).toContainText("2 reviews");
  await memberContext.close();
});
