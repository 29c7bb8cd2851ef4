import { NotFoundException } from '@nestjs/common';
import { SETTING, SystemSettingsService } from '../core/setup/system-settings.service';
import { ValidateBy } from 'class-validator';
import { CivilDate, isCivilDate } from './billing/civil-date';

/** The vendor console (plans, contracts, invoices) exists only on the hosted multi-tenant instance. */
export async function assertVendorConsole(settings: SystemSettingsService): Promise<void> {
  if ((await settings.get<string>(SETTING.deploymentMode)) !== 'multi') {
    throw new NotFoundException('the vendor console exists only in multi-tenant mode');
  }
}

/** The calendar date of an instant in Japan, where every contract date of the terms is counted. */
export function tokyoDateOf(instant: Date): CivilDate {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

/** A request field holding a real calendar date `YYYY-MM-DD` (2026-02-30 is refused, naming the field). */
export const IsCivilDate = () =>
  ValidateBy({
    name: 'isCivilDate',
    validator: {
      validate: (value: unknown) => isCivilDate(value),
      defaultMessage: (args) => `${args?.property} must be a calendar date YYYY-MM-DD (Japan time)`,
    },
  });
