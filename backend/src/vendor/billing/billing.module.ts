import { Module } from '@nestjs/common';
import { BillingSimulatorController } from './billing-simulator.controller';

/** Billing: the pure engine (no providers needed) and its simulator endpoint. */
@Module({ controllers: [BillingSimulatorController] })
export class BillingModule {}
