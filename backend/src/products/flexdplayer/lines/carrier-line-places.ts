import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { normaliseNumber } from '../../recordings/phone-number';
import { CallPlaces, lineKey, PlaceDirectory, PlaceIds, PlaceNames } from '../../recordings/places/call-places';
import { CarrierLine } from './carrier-line.entity';

/** A carrier line as people know it: its label, else its number as they write it (090-1234-5678). */
const lineName = (line: Pick<CarrierLine, 'label' | 'e164'>) => line.label || normaliseNumber(line.e164).display;

/** Lends the recording store the names of the tenant's carrier lines; they belong to no site. */
@Injectable()
export class CarrierLinePlaces implements PlaceDirectory, OnModuleInit {
  constructor(
    @InjectRepository(CarrierLine) private readonly lines: Repository<CarrierLine>,
    private readonly places: CallPlaces,
  ) {}

  onModuleInit(): void {
    this.places.register(this);
  }

  async names(tenantId: string, ids: PlaceIds): Promise<PlaceNames> {
    const names: PlaceNames = { sites: new Map(), lines: new Map() };
    if (!ids.lineIds.length) return names;
    const rows = await this.lines.find({
      select: { id: true, label: true, e164: true },
      where: { tenantId, id: In(ids.lineIds) },
    });
    for (const line of rows) names.lines.set(lineKey(null, line.id), lineName(line));
    return names;
  }

  async list(tenantId: string) {
    const rows = await this.lines.find({ select: { id: true, label: true, e164: true }, where: { tenantId } });
    return { sites: [], lines: rows.map((l) => ({ id: l.id, name: lineName(l), siteId: null })) };
  }
}
