import { DynamicModule, Module } from '@nestjs/common';
import { TRANSCODER } from './transcoder';
import { createTranscoder, TranscoderSettings } from './transcoder.factory';

/** Provides TRANSCODER (default: the npm driver); settings come from whoever imports it. */
@Module({})
export class TranscoderModule {
  static forRoot(settings: TranscoderSettings = {}): DynamicModule {
    return {
      module: TranscoderModule,
      global: true,
      providers: [{ provide: TRANSCODER, useFactory: () => createTranscoder(settings) }],
      exports: [TRANSCODER],
    };
  }
}
