import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { JobHandler, JobQueue } from './job-queue';

interface PendingJob {
  id: string;
  data: unknown;
  attemptsLeft: number;
  priority: number;
}

/** A single-process queue with retries and exponential backoff, for the embedded default. */
export class InProcessQueue implements JobQueue {
  readonly kind = 'in-process' as const;
  private readonly logger = new Logger(InProcessQueue.name);
  private readonly pending = new Map<string, PendingJob[]>();
  private readonly workers = new Map<string, { handler: JobHandler; concurrency: number; running: number }>();
  private closed = false;

  async add<T>(queue: string, data: T, options: { attempts?: number; priority?: number } = {}): Promise<string> {
    const job = { id: randomUUID(), data, attemptsLeft: options.attempts ?? 3, priority: options.priority ?? 0 };
    const list = this.pending.get(queue) ?? [];
    list.push(job);
    list.sort((a, b) => b.priority - a.priority);
    this.pending.set(queue, list);
    setImmediate(() => this.drain(queue));
    return job.id;
  }

  process<T>(queue: string, concurrency: number, handler: JobHandler<T>): void {
    this.workers.set(queue, { handler: handler as JobHandler, concurrency, running: 0 });
    setImmediate(() => this.drain(queue));
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('queue closed');
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private drain(queue: string): void {
    const worker = this.workers.get(queue);
    const list = this.pending.get(queue);
    while (!this.closed && worker && list?.length && worker.running < worker.concurrency) {
      const job = list.shift() as PendingJob;
      worker.running += 1;
      worker
        .handler(job.data, async () => undefined)
        .catch((error: Error) => {
          job.attemptsLeft -= 1;
          this.logger.warn(`job ${queue}/${job.id} failed (${job.attemptsLeft} attempts left): ${error.message}`);
          if (job.attemptsLeft > 0) {
            const delay = 1000 * 2 ** Math.max(0, 2 - job.attemptsLeft);
            setTimeout(() => {
              list.push(job);
              this.drain(queue);
            }, delay).unref();
          }
        })
        .finally(() => {
          worker.running -= 1;
          this.drain(queue);
        });
    }
  }
}
