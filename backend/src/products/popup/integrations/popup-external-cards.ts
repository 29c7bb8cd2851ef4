import { Injectable, Logger } from '@nestjs/common';
import type { NormalisedNumber } from '../../recordings/phone-number';
import { ExternalCard, ExternalCardSource } from './external-cards';
import { KintoneService } from './kintone/kintone.service';
import { LookupHookService } from './lookup-hook.service';

/**
 * Every external source of cards for the popup, asked at once. Each source bounds itself by its
 * own timeout and answers [] on failure, so the popup waits at most for the slowest timeout.
 */
@Injectable()
export class PopupExternalCards implements ExternalCardSource {
  private readonly logger = new Logger(PopupExternalCards.name);

  constructor(
    private readonly lookupHook: LookupHookService,
    private readonly kintone: KintoneService,
  ) {}

  async cardsFor(tenantId: string, number: NormalisedNumber): Promise<ExternalCard[]> {
    const sources = [this.lookupHook, this.kintone];
    const answers = await Promise.all(
      sources.map((s) =>
        s.cardsFor(tenantId, number).catch((error: Error) => {
          this.logger.warn(`external cards of tenant ${tenantId} failed: ${error.message}`);
          return [] as ExternalCard[];
        }),
      ),
    );
    return answers.flat();
  }
}
