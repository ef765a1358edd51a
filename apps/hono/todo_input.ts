/**
 * todo_input: what a client may send, checked — a JSON object with `title` (a string of
 * 1–200 characters after trimming) and `done` (a boolean); `title` is required to create
 * a todo, and at least one of the two to change one. Any other key is refused too, so a
 * misspelt one ("titel") is an error instead of a silent no-op. A body that is not JSON is a
 * 400, one sent as another media type a 415, JSON of the wrong shape a 422 naming every
 * problem: HTTPExceptions, which the app's error handler answers as JSON.
 */

import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { NewTodo, TodoChanges } from "./todo_store.ts";

export const MAX_TITLE_LENGTH = 200;
const KEYS = new Set(["title", "done"]);

/** The request's body, parsed as JSON. */
export async function jsonBody(c: Context): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw new HTTPException(415, { message: `Cannot read a body sent as "${type}": send application/json` });
  }
  try {
    return await c.req.json();
  } catch {
    throw new HTTPException(400, { message: "Cannot parse the body: it is not JSON" });
  }
}

/** The problems with `body` as a todo or a change to one, and the fields that passed. */
function check(body: unknown): { problems: string[]; title?: string; done?: boolean } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return { problems: ["the body must be a JSON object"] };
  const record = body as Record<string, unknown>;
  const problems = Object.keys(record).filter((key) => !KEYS.has(key)).map((key) => `"${key}" is not a field of a todo (title, done)`);
  const result: { problems: string[]; title?: string; done?: boolean } = { problems };
  if (record.title !== undefined) {
    const title = typeof record.title === "string" ? record.title.trim() : undefined;
    if (title === undefined || title.length === 0 || title.length > MAX_TITLE_LENGTH) problems.push(`"title" must be a string of 1 to ${MAX_TITLE_LENGTH} characters`);
    else result.title = title;
  }
  if (record.done !== undefined) {
    if (typeof record.done !== "boolean") problems.push('"done" must be true or false');
    else result.done = record.done;
  }
  return result;
}

function refuse(problems: readonly string[]): never {
  throw new HTTPException(422, { message: `Cannot accept the todo: ${problems.join("; ")}` });
}

export function newTodo(body: unknown): NewTodo {
  const { problems, title, done } = check(body);
  if (title === undefined && !problems.some((problem) => problem.startsWith('"title"') || problem.startsWith("the body"))) problems.push('"title" is required');
  if (problems.length > 0 || title === undefined) refuse(problems);
  return done === undefined ? { title } : { title, done };
}

export function todoChanges(body: unknown): TodoChanges {
  const { problems, title, done } = check(body);
  if (problems.length === 0 && title === undefined && done === undefined) problems.push('give "title", "done" or both');
  if (problems.length > 0) refuse(problems);
  return { ...(title !== undefined ? { title } : {}), ...(done !== undefined ? { done } : {}) };
}
