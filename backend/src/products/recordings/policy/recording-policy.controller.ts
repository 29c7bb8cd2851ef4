import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../core/auth/auth.decorators';
import { PolicyView, RecordingPolicyService, UpdateRecordingPolicyDto } from './recording-policy.service';

/** The current tenant's recording policy: capacity, what happens when full, retention, visibility. */
@ApiTags('recordings')
@Controller('v1/recordings/policy')
export class RecordingPolicyController {
  constructor(private readonly policies: RecordingPolicyService) {}

  @Get()
  // Supervisors read it too: their share dialog needs the link limit.
  @Roles('tenantAdmin', 'supervisor', 'auditor')
  get(): Promise<PolicyView> {
    return this.policies.get();
  }

  @Patch()
  @Roles('tenantAdmin')
  update(@Body() dto: UpdateRecordingPolicyDto): Promise<PolicyView> {
    return this.policies.update(dto);
  }
}
