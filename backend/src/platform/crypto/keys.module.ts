import { Global, Module } from '@nestjs/common';
import { KeyRing } from './key-ring';
import { KeyProviderProbe } from './key-provider-probe';

@Global()
@Module({ providers: [KeyRing, KeyProviderProbe], exports: [KeyRing, KeyProviderProbe] })
export class KeysModule {}
