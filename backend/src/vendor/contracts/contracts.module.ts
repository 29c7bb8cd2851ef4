import { Module } from '@nestjs/common';
import { UsageCounter } from '../../products/recordings/retention/usage-counter';
import { PlansModule } from '../plans/plans.module';
import { ContractsController } from './contracts.controller';
import { ContractsService } from './contracts.service';
import { OpeningTestDates } from './opening-test-dates';
import { RenewalReminders } from './renewal-reminders';

/**
 * Contracts and their renewal reminders. UsageCounter is stateless over the database, so this module
 * has its own rather than depending on the recordings module for the Art. 13.8 capacity check.
 */
@Module({
  imports: [PlansModule],
  controllers: [ContractsController],
  providers: [ContractsService, OpeningTestDates, RenewalReminders, UsageCounter],
  exports: [ContractsService, RenewalReminders],
})
export class ContractsModule {}
