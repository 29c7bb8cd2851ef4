import { Logger } from '@nestjs/common';

/**
 * Listeners told of something that already happened. They run in order; a failing one is logged,
 * not thrown: what happened stands, and the one who announced it must still get its answer.
 */
export class ListenerList<E> {
  private readonly listeners: Array<(event: E) => Promise<void>> = [];

  constructor(
    private readonly log: Logger,
    private readonly describe: (event: E) => string,
  ) {}

  add(listener: (event: E) => Promise<void>): void {
    this.listeners.push(listener);
  }

  async emit(event: E): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener(event);
      } catch (err) {
        this.log.error(`${this.describe(event)}: ${(err as Error).message}`);
      }
    }
  }
}
