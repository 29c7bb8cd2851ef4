import { Inject, Injectable, Optional } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { fieldError } from '../../../platform/http/field-errors';

/**
 * What a call summariser (an LLM or anything else) must offer. No provider ships with the product and none
 * is required: summaries stay off until a deployment registers one under SUMMARY_PROVIDERS (see
 * docs/vnote/summary.md). Transcripts never leave the server unless an administrator installs a provider.
 */
export interface SummaryProvider {
  readonly name: string;
  summarise(input: { language: string; segments: Array<{ speaker: string; text: string }> }): Promise<string>;
}
export const SUMMARY_PROVIDERS = Symbol('SUMMARY_PROVIDERS');

export class UpdateSummarySettingsDto {
  @ApiProperty() @IsBoolean() enabled!: boolean;
}

@Injectable()
export class SummarySettings {
  constructor(@Optional() @Inject(SUMMARY_PROVIDERS) private readonly providers: SummaryProvider[] = []) {}

  get() {
    return { enabled: false, provider: 'none', availableProviders: this.providers.map((p) => p.name) };
  }

  /** Off is always accepted; on needs a provider, and none is installed in this release. */
  update(dto: UpdateSummarySettingsDto) {
    if (dto.enabled && !this.providers.length) throw fieldError('enabled', 'no summary provider is installed');
    if (dto.enabled) throw fieldError('enabled', 'summary providers are not supported in this release');
    return this.get();
  }
}
