import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, LessThan, Repository } from 'typeorm';
import { addDays, CivilDate, daysBetween, daysInclusive, isCivilDate } from '../billing/civil-date';
import { equipmentReturnDeadlineFor } from '../billing/contract-dates';
import type { EndedContract } from './ended-contracts-source';
import { ContractsService } from '../contracts/contracts.service';
import { EquipmentReturn } from './termination.entities';

/** One contract's return as billing needs it: `Contract.equipmentReturnDeadline` and `equipmentReturnedOn`. */
export interface ContractReturnStatus {
  contractId: string;
  tenantId: string;
  serviceEndDate: CivilDate;
  equipmentReturnDeadline: CivilDate;
  /** The day the last item arrived, or null while any item is still out. */
  equipmentReturnedOn: CivilDate | null;
  /** Days after the deadline (up to the arrival, or up to `asOf` while still out); 0 when on time. */
  daysLate: number;
  /**
   * Days the late-return charge of Art. 12.9 covers: from the day after the service end up to the
   * arrival, both counted; 0 when the equipment arrived by the deadline or is still out.
   */
  chargeableDays: number;
  items: Array<{ id: string; serialNumber: string; returnedOn: CivilDate | null }>;
}

/**
 * Rental equipment to come back after the service end (Art. 12.5, 12.8-9): the deadline per item,
 * arrivals, what is overdue, and the figures the billing engine's lateEquipmentReturn takes.
 */
@Injectable()
export class EquipmentReturnsService {
  constructor(
    @InjectRepository(EquipmentReturn) private readonly returns: Repository<EquipmentReturn>,
    private readonly contracts: ContractsService,
  ) {}

  /** Records each device of an ended contract once; running it again adds only devices not yet recorded. */
  async register(contract: EndedContract): Promise<EquipmentReturn[]> {
    const deadline = equipmentReturnDeadlineFor(contract.serviceEndDate);
    for (const serialNumber of new Set(contract.equipment)) {
      const exists = await this.returns.findOne({ where: { contractId: contract.contractId, serialNumber } });
      if (exists) continue;
      await this.returns.insert({
        id: randomUUID(),
        tenantId: contract.tenantId,
        contractId: contract.contractId,
        serialNumber,
        serviceEndDate: contract.serviceEndDate,
        deadline,
        returnedOn: null,
        createdAt: new Date(),
      });
    }
    return this.returns.find({ where: { contractId: contract.contractId }, order: { serialNumber: 'ASC' } });
  }

  async markReturned(id: string, returnedOn: CivilDate): Promise<EquipmentReturn> {
    if (!isCivilDate(returnedOn)) throw new BadRequestException('returnedOn: a date YYYY-MM-DD');
    const row = await this.returns.findOne({ where: { id } });
    if (!row) throw new NotFoundException('equipment return not found');
    if (returnedOn <= row.serviceEndDate)
      throw new BadRequestException(`returnedOn: must be after the service end date ${row.serviceEndDate}`);
    row.returnedOn = returnedOn;
    await this.returns.update(id, { returnedOn });
    await this.settleContractWhenAllBack(row.contractId);
    return row;
  }

  /**
   * The contract counts its equipment back on the day the last item arrived, and that date is what
   * the billing engine bills a late return from: hand it over once every serial number is back.
   */
  private async settleContractWhenAllBack(contractId: string): Promise<void> {
    const items = await this.returns.find({ where: { contractId } });
    if (!items.every((i) => i.returnedOn)) return;
    const lastArrival = items.map((i) => i.returnedOn as CivilDate).sort()[items.length - 1];
    const contract = await this.contracts.find(contractId);
    // Recorded by hand on the contract already, or a contract this installation does not hold.
    if (!contract || contract.equipmentReturnedOn) return;
    await this.contracts.recordEquipmentReturn(contractId, lastArrival);
  }

  /** Devices not arrived whose deadline has passed on `today`, oldest deadline first. */
  overdue(today: CivilDate): Promise<EquipmentReturn[]> {
    return this.returns.find({
      where: { returnedOn: IsNull(), deadline: LessThan(today) },
      order: { deadline: 'ASC', serialNumber: 'ASC' },
    });
  }

  list(): Promise<EquipmentReturn[]> {
    return this.returns.find({ order: { deadline: 'DESC', serialNumber: 'ASC' } });
  }

  async forContract(contractId: string, asOf: CivilDate): Promise<ContractReturnStatus> {
    const items = await this.returns.find({ where: { contractId }, order: { serialNumber: 'ASC' } });
    if (items.length === 0) throw new NotFoundException('no rental equipment is recorded for this contract');
    return returnStatus(items, asOf);
  }
}

/** The contract's figures from its items: it counts as returned when the last item arrived. */
export function returnStatus(items: EquipmentReturn[], asOf: CivilDate): ContractReturnStatus {
  const { contractId, tenantId, serviceEndDate, deadline } = items[0];
  const allBack = items.every((i) => i.returnedOn);
  const arrivedOn = allBack ? items.map((i) => i.returnedOn as string).sort()[items.length - 1] : null;
  const lateUntil = arrivedOn ?? asOf;
  return {
    contractId,
    tenantId,
    serviceEndDate,
    equipmentReturnDeadline: deadline,
    equipmentReturnedOn: arrivedOn,
    daysLate: Math.max(0, daysBetween(deadline, lateUntil)),
    chargeableDays: arrivedOn && arrivedOn > deadline ? daysInclusive(addDays(serviceEndDate, 1), arrivedOn) : 0,
    items: items.map((i) => ({ id: i.id, serialNumber: i.serialNumber, returnedOn: i.returnedOn })),
  };
}
