import Bull from 'bull';
import { JobHandler, JobQueue } from './job-queue';

/** bull on Redis: jobs survive restarts and are shared by every API and worker process. */
export class BullQueue implements JobQueue {
  readonly kind = 'bull' as const;
  private readonly queues = new Map<string, Bull.Queue>();

  constructor(
    private readonly redisUrl: string,
    private readonly prefix: string,
  ) {}

  private queue(name: string): Bull.Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Bull(name, this.redisUrl, { prefix: this.prefix });
      this.queues.set(name, q);
    }
    return q;
  }

  async add<T>(queue: string, data: T, options: { attempts?: number; priority?: number } = {}): Promise<string> {
    const job = await this.queue(queue).add(data, {
      attempts: options.attempts ?? 3,
      // The JobQueue contract is "higher runs first"; bull's is the opposite (1 is the highest).
      priority: options.priority === undefined ? undefined : Math.max(1, 1000 - options.priority),
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: 1000,
      removeOnFail: false,
    });
    return String(job.id);
  }

  process<T>(queue: string, concurrency: number, handler: JobHandler<T>): void {
    void this.queue(queue).process(concurrency, (job) =>
      handler(job.data as T, async (percent) => {
        await job.progress(percent);
      }),
    );
  }

  async ping(): Promise<void> {
    const q = this.queue('health');
    const client = await q.isReady().then(() => q.client);
    const answer = await client.ping();
    if (answer !== 'PONG') throw new Error(`redis answered ${answer}`);
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
