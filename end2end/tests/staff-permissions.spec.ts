// A hiring team grows. The demo's Super Admin invites a colleague as a Team Member and makes
// them the owner of the draft Customer Support job. The invitation arrives in the demo
// mailbox; the colleague follows its link, chooses a password and lands on the Jobs page.
// They edit the job they own, and on the Backend Engineer job, which they do not own, the
// settings are read-only with the reason. A save they force anyway is refused with the same
// message, and the job is unchanged.
//
// The second test makes a new colleague a second Super Admin, then opens and cancels the
// confirm step for lowering the demo Super Admin's own role. The third changes a new
// colleague's own password on the account page.
//
// This file runs between quiz-to-lever.spec.ts and webhook-invite.spec.ts (name order, one
// demo server). It touches only the draft job and new accounts, which the others do not use.
import { expect, test, type Page } from "@playwright/test";
import { loadDemoCredentials, type DemoCredentials } from "../support/demo-credentials";
import { ROLE_NAME } from "../support/journey";
import { signInToTryout, waitForHydration } from "../support/pages";

const DRAFT_ROLE = "Customer Support Specialist";
const REFUSAL = "Only this job's owners and Admins can edit it.";

let credentials: DemoCredentials;

test.beforeAll(() => {
  credentials = loadDemoCredentials();
});

/** Opens a job's settings page from its card on the Jobs page. */
async function openSettings(page: Page, title: string): Promise<void> {
  await page.goto("/jobs");
  await waitForHydration(page);
  await page.getByRole("link", { name: new RegExp(`settings of ${title}$`) }).click();
  await expect(page.getByRole("heading", { name: title, exact: true })).toBeVisible();
  await waitForHydration(page);
}

/** Opens the mailbox until the staff invitation to `email` is listed; returns its link. */
async function invitationLink(page: Page, email: string): Promise<string> {
  const item = page.locator("li.mail-item").filter({ hasText: `To: ${email}` });
  await expect(async () => {
    await page.goto("/mailbox");
    await waitForHydration(page);
    await expect(item).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });

  await item.getByRole("link").click();
  const link = page.locator(".email-text a[href*='/welcome/']").first();
  await expect(link).toBeVisible();
  const href = await link.getAttribute("href");
  expect(href, "the invitation's link").toBeTruthy();
  return href as string;
}

test("an invited Team Member edits the job they own and only that job", async ({ browser }) => {
  const stamp = Date.now().toString(36);
  const colleague = { name: `Jordan Lee ${stamp}`, email: `jordan.lee.${stamp}@northwind.example` };
  const password = `a-long-password-${stamp}`;

  // The Super Admin invites the colleague.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInToTryout(admin, credentials.admin);
  await admin.getByRole("link", { name: "Staff", exact: true }).click();
  await expect(admin.getByRole("heading", { name: "Staff", exact: true })).toBeVisible();
  await waitForHydration(admin);
  await admin.locator("#invite-email").fill(colleague.email);
  await admin.locator("#invite-name").fill(colleague.name);
  await admin.locator("#invite-role").selectOption({ label: "Team Member" });
  await admin.getByRole("button", { name: "Send invitation", exact: true }).click();
  await expect(admin.getByRole("status").filter({ hasText: "Invitation sent" })).toBeVisible();
  await expect(admin.getByRole("list", { name: "Colleagues" })).toContainText(colleague.name);
  // The list and the form are drawn anew; focus lands on the outcome, not the top of the page.
  await expect(admin.locator("#invite-outcome")).toBeFocused();

  // ...and makes them the owner of the draft job.
  await openSettings(admin, DRAFT_ROLE);
  await admin.locator("#member-staff").selectOption({ label: `${colleague.name} (Team Member)` });
  await admin.locator("#member-membership").selectOption("owner");
  await admin.getByRole("button", { name: "Add to this job" }).click();
  await expect(admin.locator(".member-list")).toContainText(`${colleague.name} · Team Member · Owner`);

  const link = await invitationLink(admin, colleague.email);
  await adminContext.close();

  // The colleague chooses a password and is signed in.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { name: "Choose your password" })).toBeVisible();
  await page.getByLabel("New password").fill(password);
  await page.getByLabel("Type it again").fill(password);
  await page.getByRole("button", { name: /password/i }).click();
  await expect(page).toHaveURL(/\/jobs(\?.*)?$/);
  await expect(page.getByRole("heading", { name: "Jobs", exact: true })).toBeVisible();
  await expect(page.locator(".me")).toContainText(`${colleague.name} · Team Member`);
  await waitForHydration(page);

  // They edit the job they own.
  const newTeam = `Customer Success ${stamp}`;
  await openSettings(page, DRAFT_ROLE);
  await expect(page.getByText(REFUSAL)).toHaveCount(0);
  await page.getByLabel("Team", { exact: true }).fill(newTeam);
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(async () => {
    await page.reload();
    await waitForHydration(page);
    await expect(page.getByLabel("Team", { exact: true })).toHaveValue(newTeam, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });

  // The job they do not own is read-only, and the page shows why.
  await openSettings(page, ROLE_NAME);
  await expect(page.getByRole("note").filter({ hasText: REFUSAL })).toBeVisible();
  await expect(page.getByRole("button", { name: "Save settings" })).toHaveCount(0);
  await expect(page.getByLabel("Title", { exact: true })).toBeDisabled();
  const roleId = new URL(page.url()).pathname.split("/")[2];

  // A save forced past the page is refused by the server with the same reason.
  const forced = await page.evaluate(async (role_id) => {
    const response = await fetch("/api/save_job_settings", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ role_id, title: "Renamed by someone who does not own it" }).toString(),
    });
    return { status: response.status, body: await response.text() };
  }, roleId);
  expect(forced.status).toBe(403);
  expect(forced.body).toContain(REFUSAL);

  await page.reload();
  await waitForHydration(page);
  await expect(page.getByRole("heading", { name: ROLE_NAME, exact: true })).toBeVisible();
  await expect(page.getByLabel("Title", { exact: true })).toHaveValue(ROLE_NAME);
  await context.close();
});

test("a role change keeps focus, and lowering one's own role asks first", async ({ browser }) => {
  const stamp = Date.now().toString(36);
  const colleague = { name: `Sam Rivera ${stamp}`, email: `sam.rivera.${stamp}@northwind.example` };

  const context = await browser.newContext();
  const admin = await context.newPage();
  await signInToTryout(admin, credentials.admin);
  await admin.goto("/staff");
  await waitForHydration(admin);
  await admin.locator("#invite-email").fill(colleague.email);
  await admin.locator("#invite-name").fill(colleague.name);
  await admin.locator("#invite-role").selectOption({ label: "Team Member" });
  await admin.getByRole("button", { name: "Send invitation", exact: true }).click();
  const card = admin.locator("li.staff-card").filter({ hasText: colleague.email });
  await expect(card).toBeVisible();

  // Saving a colleague's new role reloads the list; focus comes back to the same button.
  // A second Super Admin also lets the demo's Super Admin change their own role.
  await card.getByLabel("Change role").selectOption({ label: "Super Admin" });
  await card.getByRole("button", { name: "Save role" }).click();
  await expect(card.locator("dd").first()).toHaveText("Super Admin");
  await expect(card.getByRole("button", { name: "Save role" })).toBeFocused();
  await expect(admin.getByRole("status").filter({ hasText: "Role saved." })).toBeVisible();

  // Until the new Super Admin has chosen a password, they cannot sign in, so the demo's Super
  // Admin is still the last one and may not lower their own role.
  const own = admin.locator("li.staff-card").filter({ hasText: "(you)" });
  await expect(own).toContainText("The last Super Admin stays a Super Admin.");
  const link = await invitationLink(admin, colleague.email);
  const colleagueContext = await browser.newContext();
  const colleaguePage = await colleagueContext.newPage();
  await colleaguePage.goto(link);
  await waitForHydration(colleaguePage);
  await colleaguePage.getByLabel("New password").fill(`a-long-password-${stamp}`);
  await colleaguePage.getByLabel("Type it again").fill(`a-long-password-${stamp}`);
  await colleaguePage.getByRole("button", { name: /password/i }).click();
  await expect(colleaguePage).toHaveURL(/\/jobs(\?.*)?$/);
  await colleagueContext.close();
  await admin.goto("/staff");
  await waitForHydration(admin);

  // Lowering one's own role opens a confirm step first, and Escape leaves it unchanged.
  await own.getByLabel("Change role").selectOption({ label: "Admin" });
  await own.getByRole("button", { name: "Save role" }).click();
  const confirm = own.getByRole("group", { name: "Confirm lowering your own role" });
  await expect(confirm).toContainText("Lower your own role to Admin?");
  // The step opens on Cancel, so a second Enter changes nothing, and leaving it puts focus
  // back on the button that opened it.
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await admin.keyboard.press("Escape");
  await expect(confirm).toHaveCount(0);
  await expect(own.getByRole("button", { name: "Save role" })).toBeFocused();
  await expect(own.locator("dd").first()).toHaveText("Super Admin");
  await context.close();
});

test("unassigned Limited Team Member changes own password", async ({ browser }) => {
  const stamp = Date.now().toString(36);
  const colleague = { name: `Ari Chen ${stamp}`, email: `ari.chen.${stamp}@northwind.example` };
  const firstPassword = `a-first-password-${stamp}`;
  const newPassword = `a-second-password-${stamp}`;

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInToTryout(admin, credentials.admin);
  await admin.goto("/staff");
  await waitForHydration(admin);
  // An email already in use is rejected, and the form keeps what was typed.
  await admin.locator("#invite-email").fill(credentials.admin.email);
  await admin.locator("#invite-name").fill(colleague.name);
  await admin.getByRole("button", { name: "Send invitation", exact: true }).click();
  await expect(admin.locator("#invite-outcome")).toContainText("already has a Tryout account");
  await expect(admin.locator("#invite-name")).toHaveValue(colleague.name);
  await admin.locator("#invite-email").fill(colleague.email);
  await admin.locator("#invite-role").selectOption({ label: "Limited Team Member" });
  await admin.getByRole("button", { name: "Send invitation", exact: true }).click();
  await expect(admin.getByRole("status").filter({ hasText: "Invitation sent" })).toBeVisible();
  const link = await invitationLink(admin, colleague.email);
  await adminContext.close();

  // The colleague chooses a password. With no job assigned, the Jobs page explains why it is empty.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await waitForHydration(page);
  await page.getByLabel("New password").fill(firstPassword);
  await page.getByLabel("Type it again").fill(firstPassword);
  await page.getByRole("button", { name: /password/i }).click();
  await expect(page).toHaveURL(/\/jobs(\?.*)?$/);
  await expect(page.getByText("You are not assigned to any job yet. An Admin can add you as a reviewer")).toBeVisible();

  // A second browser signed in with the first password, to be signed out by the change.
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await signInToTryout(other, { email: colleague.email, password: firstPassword });

  // The header's name opens the account page. A wrong current password is refused next to
  // the field, which takes focus.
  await waitForHydration(page);
  await page.getByRole("link", { name: /^Your account:/ }).click();
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  await waitForHydration(page);
  await page.getByLabel("Current password").fill("not-my-password");
  await page.getByLabel(/^New password \(at least/).fill(newPassword);
  await page.getByLabel("New password again").fill(newPassword);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.locator("#current_password-error")).toContainText("That is not your current password.");

  await page.getByLabel("Current password").fill(firstPassword);
  await page.getByLabel(/^New password \(at least/).fill(newPassword);
  await page.getByLabel("New password again").fill(newPassword);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Password changed." })).toBeVisible();
  await expect(page.getByLabel("Current password")).toHaveValue("");

  // This browser stays signed in; the other one is sent to sign in again.
  await page.goto("/jobs");
  await expect(page.getByRole("heading", { name: "Jobs", exact: true })).toBeVisible();
  await other.goto("/jobs");
  await expect(other).toHaveURL(/\/sign-in/);
  await otherContext.close();

  // The new password signs in, and the sign-in page shows a signed-in person who they are.
  const fresh = await browser.newContext();
  const freshPage = await fresh.newPage();
  await signInToTryout(freshPage, { email: colleague.email, password: newPassword });
  await freshPage.goto("/sign-in");
  await expect(freshPage.getByRole("note")).toContainText(`You are signed in as ${colleague.name}`);
  await fresh.close();
  await context.close();
});
