import type { Provider } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { CallMemos } from './call-memos.service';
import { PopupPayloads } from './popup-payload';
import { PopupRelay } from './popup-relay';
import { PopupRouting } from './popup-routing.service';
import { PopupSocketGateway } from './popup-socket.gateway';
import { TenantRoutings } from './tenant-routing';
import { MemoryRingingCalls, RedisRingingCalls, RINGING_CALLS } from './ringing-calls';

/** The popup's realtime delivery, as the popup module registers it (it also needs FlexlogModule and RecordingsModule). */
export const popupRealtimeProviders: Provider[] = [
  PopupRouting,
  TenantRoutings,
  PopupPayloads,
  PopupSocketGateway,
  PopupRelay,
  CallMemos,
  {
    provide: RINGING_CALLS,
    // Several backend instances share Redis: any of them answers a reconnect with the calls in progress.
    useFactory: (config: AppConfig) =>
      config.redisUrl
        ? new RedisRingingCalls(new Redis(config.redisUrl), `${config.queuePrefix}:`)
        : new MemoryRingingCalls(),
    inject: [APP_CONFIG],
  },
];
