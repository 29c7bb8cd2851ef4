import { Module } from '@nestjs/common';
import { UsersModule } from '../../core/users/users.module';
import { FlexlogModule } from '../flexlog/flexlog.module';
import { RecordingsModule } from '../recordings/recordings.module';
import { CustomersModule } from './customers/customers.module';
import { PopupRealtimeController } from './realtime/popup-realtime.controller';
import { popupRealtimeProviders } from './realtime/popup-realtime.providers';
import { PopupCallWebhooks } from './integrations/popup-call-webhooks';
import { PopupIntegrationsModule } from './integrations/popup-integrations.module';
import { KintoneHistory } from './integrations/kintone/kintone-history';

/**
 * 応対力: the incoming-call popup. Call events come from FlexLog's exported event stream, call
 * history and notes from the recording store's exported services.
 */
@Module({
  imports: [UsersModule, FlexlogModule, RecordingsModule, CustomersModule, PopupIntegrationsModule],
  controllers: [PopupRealtimeController],
  // CUSTOMER_MATCHER comes from CustomersModule (CustomersService.matchNumber).
  providers: [...popupRealtimeProviders, PopupCallWebhooks, KintoneHistory],
})
export class PopupModule {}
