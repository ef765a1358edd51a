/**
 * todo_store: the todo list, in memory — it lives as long as the machine. Ids count up from 1
 * and are never reused, so a deleted todo's URL stays a 404. The list holds at most
 * `maxTodos` (default 10,000): the VM's memory is small and shared with the kernel, and a full
 * list refuses more (StoreFull) rather than growing until the engine runs out of memory.
 */

export interface Todo {
  readonly id: number;
  readonly title: string;
  readonly done: boolean;
  /** ISO 8601, UTC. */
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface NewTodo {
  readonly title: string;
  readonly done?: boolean;
}

export interface TodoChanges {
  readonly title?: string;
  readonly done?: boolean;
}

export interface TodoStoreOptions {
  readonly maxTodos?: number;
  /** The clock, for tests; default the wall clock. */
  readonly now?: () => Date;
}

export class StoreFull extends Error {
  override readonly name = "StoreFull";
  constructor(readonly maxTodos: number) {
    super(`Cannot add a todo: the list already holds ${maxTodos}, its most`);
  }
}

export const DEFAULT_MAX_TODOS = 10_000;

export class TodoStore {
  readonly #todos = new Map<number, Todo>();
  readonly #maxTodos: number;
  readonly #now: () => Date;
  #nextId = 1;

  constructor(options: TodoStoreOptions = {}) {
    this.#maxTodos = options.maxTodos ?? DEFAULT_MAX_TODOS;
    this.#now = options.now ?? (() => new Date());
  }

  /** Every todo, oldest first; only those whose `done` is `done` when it is given. */
  list(done?: boolean): Todo[] {
    const all = [...this.#todos.values()];
    return done === undefined ? all : all.filter((todo) => todo.done === done);
  }

  get(id: number): Todo | undefined {
    return this.#todos.get(id);
  }

  /** Adds a todo; throws StoreFull when the list is full. */
  add(input: NewTodo): Todo {
    if (this.#todos.size >= this.#maxTodos) throw new StoreFull(this.#maxTodos);
    const at = this.#now().toISOString();
    const todo: Todo = { id: this.#nextId++, title: input.title, done: input.done ?? false, createdAt: at, updatedAt: at };
    this.#todos.set(todo.id, todo);
    return todo;
  }

  /** The todo with `changes` applied, or undefined when there is no such todo. */
  update(id: number, changes: TodoChanges): Todo | undefined {
    const todo = this.#todos.get(id);
    if (todo === undefined) return undefined;
    const updated: Todo = { ...todo, ...changes, updatedAt: this.#now().toISOString() };
    this.#todos.set(id, updated);
    return updated;
  }

  /** Whether there was such a todo to remove. */
  remove(id: number): boolean {
    return this.#todos.delete(id);
  }
}
