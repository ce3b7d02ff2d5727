/**
 * Types for the part of @observablehq/runtime 6 that the notebook runtime uses. The package ships
 * plain JavaScript without declarations; these follow its source (src/runtime.js, module.js,
 * variable.js) and its README.
 */
declare module '@observablehq/runtime' {
  /** Receives a variable's lifecycle: pending when it starts computing, then one of the others. */
  export interface Observer {
    pending?(): void;
    fulfilled?(value: unknown, name?: string | null): void;
    rejected?(error: unknown, name?: string | null): void;
  }

  export class Variable {
    /** (Re)define the variable; its dependents recompute. A non-function definition is a constant. */
    define(name: string | null, inputs: readonly string[], definition: (...inputs: never[]) => unknown): Variable;
    /** Remove the definition (the name becomes free; dependents see "not defined"). */
    delete(): Variable;
  }

  export class Module {
    /** A new variable; an observer makes it (and what it depends on) compute eagerly. */
    variable(observer?: Observer | boolean): Variable;
    redefine(name: string, inputs: readonly string[], definition: (...inputs: never[]) => unknown): Variable;
    /** The variable's next settled value (waits out recomputation; retries when it goes stale). */
    value(name: string): Promise<unknown>;
  }

  export class Runtime {
    /**
     * `builtins` are variables every module sees; `global` resolves names nothing defines (the
     * default falls back to globalThis, which a notebook must never reach).
     */
    constructor(builtins?: Record<string, unknown>, global?: (name: string) => unknown);
    module(): Module;
    dispose(): void;
  }

  export class RuntimeError extends Error {
    constructor(message: string, input?: string);
    /** The name of the input the error came through, for errors passed on to dependents. */
    readonly input?: string;
  }
}
