export type JobHandler<T = unknown> = (data: T, progress: (percent: number) => Promise<void>) => Promise<void>;

/** The job queue seen by products: bull on Redis in production, in-process in the embedded default. */
export interface JobQueue {
  readonly kind: 'bull' | 'in-process';
  /** `priority`: higher runs first (0 default, at most 999); `attempts` includes the first run. */
  add<T>(queue: string, data: T, options?: { attempts?: number; priority?: number }): Promise<string>;
  process<T>(queue: string, concurrency: number, handler: JobHandler<T>): void;
  /** Throws when the backing store does not answer (readiness check). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const JOB_QUEUE = Symbol('JOB_QUEUE');
