import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../core/auth/auth.decorators';
import { FLEXD_READERS } from '../mapping/mapping-profiles.controller';
import { SftpRuntime } from './sftp-runtime';
import { RequiresProduct } from '../../../core/tenancy/product-access';

/** What a carrier needs to deliver to the built-in SFTP server: its port and host key fingerprint. */
@ApiTags('flexdplayer')
@RequiresProduct('flexdplayer')
@Controller('v1/flexdplayer/sftp-server')
export class SftpServerController {
  constructor(private readonly sftp: SftpRuntime) {}

  @Get()
  @Roles(...FLEXD_READERS)
  status() {
    return this.sftp.dropStatus();
  }
}
