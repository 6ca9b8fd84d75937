// The demo's "Screening quiz" for the Backend Engineer role, and helpers that fill it in the way a
// candidate does.
//
// Page contract: each question is a <fieldset> whose <legend> is the prompt, so Playwright finds it
// as role=group named by the prompt. Single choice is a set of radios and multiple choice a set of
// checkboxes, each labelled by its option text; short text is a textbox and number a spinbutton,
// each labelled by the prompt. Questions appear in random order, so they are found by prompt.
import { expect, type Locator, type Page, type Request } from "@playwright/test";

export type Answer =
  | { kind: "single"; option: string }
  | { kind: "multiple"; options: string[] }
  | { kind: "number"; value: number }
  | { kind: "text"; value: string };

export interface QuizQuestion {
  prompt: string;
  kind: Answer["kind"];
  /** Option labels of choice questions, in the order the quiz was authored. */
  options: string[];
  /** The answer that scores full points, or null for a question that a reviewer scores by hand. */
  correct: Answer | null;
  points: number;
  /** A wrong answer to a knockout question fails the candidate whatever the score. */
  knockout: boolean;
}

export const SCREENING_QUIZ: QuizQuestion[] = [
  {
    prompt: "Which HTTP status code means the client sent too many requests?",
    kind: "single",
    options: ["400", "404", "429", "503"],
    correct: { kind: "single", option: "429" },
    points: 2,
    knockout: false,
  },
  {
    prompt: "Which of these are ACID properties?",
    kind: "multiple",
    options: ["Atomicity", "Consistency", "Availability", "Isolation", "Durability"],
    correct: { kind: "multiple", options: ["Atomicity", "Consistency", "Isolation", "Durability"] },
    points: 2,
    knockout: false,
  },
  {
    prompt: "How many milliseconds are in one minute?",
    kind: "number",
    options: [],
    correct: { kind: "number", value: 60000 },
    points: 1,
    knockout: false,
  },
  {
    prompt: "Which SQL keyword removes duplicate rows from a result set?",
    kind: "text",
    options: [],
    correct: { kind: "text", value: "DISTINCT" },
    points: 1,
    knockout: false,
  },
  {
    prompt: "Are you legally authorised to work in the European Union?",
    kind: "single",
    options: ["Yes", "No"],
    correct: { kind: "single", option: "Yes" },
    points: 1,
    knockout: true,
  },
  {
    prompt: "Which Rust type gives shared ownership of a value across threads?",
    kind: "single",
    options: ["Rc", "Arc", "Box", "Cell"],
    correct: { kind: "single", option: "Arc" },
    points: 2,
    knockout: false,
  },
  {
    prompt: "Which of these HTTP methods are idempotent?",
    kind: "multiple",
    options: ["GET", "PUT", "POST", "DELETE"],
    correct: { kind: "multiple", options: ["GET", "PUT", "DELETE"] },
    points: 2,
    knockout: false,
  },
  {
    prompt: "What is 2 to the power of 10?",
    kind: "number",
    options: [],
    correct: { kind: "number", value: 1024 },
    points: 1,
    knockout: false,
  },
  {
    prompt: "Describe a production incident you helped resolve, in a few sentences.",
    kind: "text",
    options: [],
    correct: null,
    points: 0,
    knockout: false,
  },
];

export const MAX_POINTS = SCREENING_QUIZ.reduce((sum, question) => sum + question.points, 0);

/**
 * Path prefix of the autosave server function. Leptos appends a hash to a server function's path
 * unless the function names its endpoint, so requests are matched by prefix.
 */
export const SAVE_ANSWER_PATH_PREFIX = "/api/save_answer";

export function questionGroup(page: Page, question: QuizQuestion): Locator {
  return page.getByRole("group", { name: question.prompt });
}

function isSaveRequest(request: Request): boolean {
  return request.method() === "POST" && new URL(request.url()).pathname.startsWith(SAVE_ANSWER_PATH_PREFIX);
}

/**
 * Counts the page's autosave requests, so a test can wait until every save that a change started
 * has finished, and can fail on a save the server rejected.
 */
export class AutosaveTracker {
  private started = 0;
  private finished = 0;
  private readonly failures: string[] = [];

  constructor(private readonly page: Page) {
    page.on("request", (request) => {
      if (isSaveRequest(request)) {
        this.started += 1;
      }
    });
    page.on("requestfinished", async (request) => {
      if (!isSaveRequest(request)) {
        return;
      }
      const response = await request.response();
      if (response !== null && !response.ok()) {
        this.failures.push(`POST ${request.url()} returned ${response.status()}`);
      }
      this.finished += 1;
    });
    page.on("requestfailed", (request) => {
      if (isSaveRequest(request)) {
        this.failures.push(`POST ${request.url()} failed: ${request.failure()?.errorText ?? "unknown error"}`);
        this.finished += 1;
      }
    });
  }

  /** Returns a mark to pass to `waitForSavesAfter` once the change has been made. */
  mark(): number {
    return this.started;
  }

  /**
   * Waits until at least one save started after `mark`, every started save has finished, and the
   * status region reads "All answers saved". Fails if any save so far was rejected.
   */
  async waitForSavesAfter(mark: number): Promise<void> {
    await expect
      .poll(() => this.started > mark && this.finished === this.started, {
        message: `an autosave request (POST ${SAVE_ANSWER_PATH_PREFIX}…) should start after the change and finish`,
        timeout: 15_000,
      })
      .toBe(true);
    expect(this.failures, "autosave requests the server rejected").toEqual([]);
    await expect(this.page.getByRole("status").filter({ hasText: "All answers saved" })).toBeVisible();
  }
}

/**
 * Enters `answer` for `question` with mouse and keyboard as a candidate would, and waits for each
 * change to be saved. Text and number fields are left with Tab, so a save on `change` fires too.
 */
export async function answerQuestion(
  page: Page,
  saves: AutosaveTracker,
  question: QuizQuestion,
  answer: Answer,
): Promise<void> {
  const group = questionGroup(page, question);
  await expect(group, `question "${question.prompt}"`).toBeVisible();

  switch (answer.kind) {
    case "single": {
      const radio = group.getByRole("radio", { name: answer.option, exact: true });
      if (!(await radio.isChecked())) {
        const mark = saves.mark();
        await radio.check();
        await saves.waitForSavesAfter(mark);
      }
      break;
    }
    case "multiple": {
      for (const option of question.options) {
        const checkbox = group.getByRole("checkbox", { name: option, exact: true });
        const wanted = answer.options.includes(option);
        if ((await checkbox.isChecked()) !== wanted) {
          const mark = saves.mark();
          await checkbox.setChecked(wanted);
          await saves.waitForSavesAfter(mark);
        }
      }
      break;
    }
    case "number":
    case "text": {
      const role = answer.kind === "number" ? "spinbutton" : "textbox";
      const field = group.getByRole(role, { name: question.prompt });
      const mark = saves.mark();
      await field.fill(String(answer.value));
      await field.press("Tab");
      await saves.waitForSavesAfter(mark);
      break;
    }
  }
}

/** Asserts that the controls of `question` show `answer`, for example after a reload. */
export async function expectAnswerShown(page: Page, question: QuizQuestion, answer: Answer): Promise<void> {
  const group = questionGroup(page, question);
  switch (answer.kind) {
    case "single":
      for (const option of question.options) {
        const radio = group.getByRole("radio", { name: option, exact: true });
        if (option === answer.option) {
          await expect(radio, `"${option}" in "${question.prompt}"`).toBeChecked();
        } else {
          await expect(radio, `"${option}" in "${question.prompt}"`).not.toBeChecked();
        }
      }
      break;
    case "multiple":
      for (const option of question.options) {
        const checkbox = group.getByRole("checkbox", { name: option, exact: true });
        if (answer.options.includes(option)) {
          await expect(checkbox, `"${option}" in "${question.prompt}"`).toBeChecked();
        } else {
          await expect(checkbox, `"${option}" in "${question.prompt}"`).not.toBeChecked();
        }
      }
      break;
    case "number":
      await expect(group.getByRole("spinbutton", { name: question.prompt })).toHaveValue(String(answer.value));
      break;
    case "text":
      await expect(group.getByRole("textbox", { name: question.prompt })).toHaveValue(answer.value);
      break;
  }
}

/** Returns the words of `answer` that the Lever note should quote. */
export function answerTexts(answer: Answer): string[] {
  switch (answer.kind) {
    case "single":
      return [answer.option];
    case "multiple":
      return answer.options;
    case "number":
      return [String(answer.value)];
    case "text":
      return [answer.value];
  }
}

/**
 * Reads the quiz countdown from the element with role=timer, in seconds.
 * Accepts mm:ss and h:mm:ss anywhere in its text.
 */
export async function readRemainingSeconds(page: Page): Promise<number> {
  const timer = page.getByRole("timer");
  await expect(timer).toHaveText(/\d+:\d{2}/);
  const text = (await timer.textContent()) ?? "";
  const match = /(\d+):(\d{2})(?::(\d{2}))?/.exec(text);
  if (match === null) {
    throw new Error(`timer text "${text}" contains no mm:ss`);
  }
  const [, first, second, third] = match;
  return third === undefined
    ? Number(first) * 60 + Number(second)
    : Number(first) * 3600 + Number(second) * 60 + Number(third);
}
