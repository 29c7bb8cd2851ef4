import { Module } from '@nestjs/common';
import { EXTERNAL_CARDS } from './external-cards';
import { LookupHookController } from './lookup-hook.controller';
import { LookupHookService } from './lookup-hook.service';
import { PopupExternalCards } from './popup-external-cards';
import { KintoneController } from './kintone/kintone.controller';
import { KintoneService } from './kintone/kintone.service';

/** 応対力's integrations with customers' own systems: the external lookup hook and kintone. */
@Module({
  controllers: [LookupHookController, KintoneController],
  providers: [
    LookupHookService,
    KintoneService,
    PopupExternalCards,
    { provide: EXTERNAL_CARDS, useExisting: PopupExternalCards },
  ],
  // KintoneHistory (in PopupModule) needs the popup's routing and directory, which live there.
  exports: [EXTERNAL_CARDS, KintoneService],
})
export class PopupIntegrationsModule {}
