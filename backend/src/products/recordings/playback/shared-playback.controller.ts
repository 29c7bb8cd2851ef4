import { Controller, Get, Headers, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../../core/auth/auth.decorators';
import { AudioStreamer } from './audio-streamer';

@ApiTags('calls')
@Controller('v1/shared')
@Public()
export class SharedPlaybackController {
  constructor(private readonly streamer: AudioStreamer) {}

  @Get(':token/audio')
  audio(@Param('token') token: string, @Headers('range') range: string | undefined, @Res() res: Response) {
    if (!/^[A-Za-z0-9_-]{10,400}\.[A-Za-z0-9_-]{43}$/.test(token))
      throw new NotFoundException('link expired or invalid');
    return this.streamer.playShared(token, range, res);
  }
}
