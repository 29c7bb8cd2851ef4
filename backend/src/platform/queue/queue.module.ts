import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { InProcessQueue } from './in-process-queue';
import { JOB_QUEUE, JobQueue } from './job-queue';

@Global()
@Module({
  providers: [
    {
      provide: JOB_QUEUE,
      inject: [APP_CONFIG],
      // bull is loaded only when Redis is configured: the embedded default never pays for it.
      useFactory: async (config: AppConfig): Promise<JobQueue> => {
        if (!config.redisUrl) return new InProcessQueue();
        const { BullQueue } = await import('./bull-queue');
        return new BullQueue(config.redisUrl, config.queuePrefix);
      },
    },
  ],
  exports: [JOB_QUEUE],
})
export class QueueModule implements OnApplicationShutdown {
  constructor(@Inject(JOB_QUEUE) private readonly queue: JobQueue) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
