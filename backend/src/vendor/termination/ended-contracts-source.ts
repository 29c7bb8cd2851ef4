import { Injectable } from '@nestjs/common';
import type { CivilDate } from '../billing/civil-date';

/** A contract whose service has ended (Art. 12.4): what contract end works from. */
export interface EndedContract {
  tenantId: string;
  contractId: string;
  /** Last day of service (Asia/Tokyo calendar date). */
  serviceEndDate: CivilDate;
  /** Serial numbers of the rental equipment to be returned (empty for FlexDPlayer). */
  equipment: string[];
}

/**
 * Where contract end learns which contracts have ended. The contracts module provides the real one
 * (`ContractsService.endedOn`); bound by token so contract end does not depend on it at compile time.
 */
export interface EndedContractsSource {
  /** Every contract whose service end date is before `date` (the service ended by then). */
  endedOn(date: CivilDate): Promise<EndedContract[]>;
}

export const ENDED_CONTRACTS_SOURCE = Symbol('ENDED_CONTRACTS_SOURCE');

/** Until contracts are bound, no contract has ended: nothing is ever shredded by default. */
@Injectable()
export class NoEndedContracts implements EndedContractsSource {
  endedOn(): Promise<EndedContract[]> {
    return Promise.resolve([]);
  }
}
