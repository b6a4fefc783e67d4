import { inspect } from 'node:util';

/**
 * A credential value that refuses to be printed: logs, error messages, JSON and util.inspect
 * all see "<secret>". Only reveal() gives the value, and only the SDK client calls it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '<secret>';
  }

  toJSON(): string {
    return '<secret>';
  }

  [inspect.custom](): string {
    return '<secret>';
  }
}
