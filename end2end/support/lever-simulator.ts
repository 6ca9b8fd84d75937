// Reads what the Lever simulator holds for an opportunity, through its admin endpoint
// GET {simulator_url}/_sim/opportunities/{id}.
//
// The response is read defensively, in the shapes Lever itself uses. The object may sit in a
// `data` envelope, `stage` may be an id or an expanded `{id}` object, and `archived` is null or
// `{reason}`. A note's text may be in `value` or in `fields[].value` (as in Lever's response to
// creating a note), and its score may be on the note or on one of its fields.

export interface SimulatedNote {
  /** All text of the note: `value`, then every `fields[].value`, joined by newlines. */
  text: string;
  /** Lever note score, 1 (Strong No) to 4 (Strong Yes), or null when the note has none. */
  score: number | null;
}

export interface OpportunitySnapshot {
  stage: string | null;
  /** Archive reason id, or null while the opportunity is active. */
  archiveReason: string | null;
  notes: SimulatedNote[];
  /** The response body as received, for error messages. */
  raw: unknown;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function idOf(value: unknown): string | null {
  if (typeof value === "string") {
    return value;
  }
  if (isObject(value) && typeof value.id === "string") {
    return value.id;
  }
  return null;
}

function parseNote(note: unknown): SimulatedNote {
  if (!isObject(note)) {
    throw new Error(`simulator note is not an object: ${JSON.stringify(note)}`);
  }
  const fields = Array.isArray(note.fields) ? note.fields.filter(isObject) : [];
  const texts = [note.value, ...fields.map((field) => field.value)].filter(
    (text): text is string => typeof text === "string",
  );
  const scores = [note.score, ...fields.map((field) => field.score)].filter(
    (score): score is number => typeof score === "number",
  );
  return { text: texts.join("\n"), score: scores[0] ?? null };
}

/** Converts a simulator response body into an OpportunitySnapshot. Throws if the body has no notes array. */
export function parseOpportunity(body: unknown): OpportunitySnapshot {
  const data = isObject(body) && isObject(body.data) ? body.data : body;
  if (!isObject(data)) {
    throw new Error(`simulator opportunity is not a JSON object: ${JSON.stringify(body)}`);
  }

  const archived = data.archived;
  const archiveReason = isObject(archived) ? idOf(archived.reason) : null;

  const notesField = isObject(data.notes) ? data.notes.data : data.notes;
  if (!Array.isArray(notesField)) {
    throw new Error(`simulator opportunity has no "notes" array: ${JSON.stringify(body)}`);
  }

  return {
    stage: idOf(data.stage),
    archiveReason,
    notes: notesField.map(parseNote),
    raw: body,
  };
}

export async function readOpportunity(simulatorUrl: string, opportunityId: string): Promise<OpportunitySnapshot> {
  const url = `${simulatorUrl.replace(/\/$/, "")}/_sim/opportunities/${encodeURIComponent(opportunityId)}`;
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) {
    throw new Error(`GET ${url} returned ${response.status}: ${await response.text()}`);
  }
  return parseOpportunity(await response.json());
}

/**
 * Polls the simulator every 500 ms until `isDone` accepts the opportunity, and returns that snapshot.
 * Throws after `timeoutMs` with the last state seen, so a failure shows what Lever ended up holding.
 */
export async function waitForOpportunity(
  simulatorUrl: string,
  opportunityId: string,
  description: string,
  isDone: (opportunity: OpportunitySnapshot) => boolean,
  timeoutMs = 30_000,
): Promise<OpportunitySnapshot> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const opportunity = await readOpportunity(simulatorUrl, opportunityId);
    if (isDone(opportunity)) {
      return opportunity;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `timed out after ${timeoutMs / 1000} s waiting for opportunity ${opportunityId} to reach: ${description}. ` +
          `Last simulator state: ${JSON.stringify(opportunity.raw)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
