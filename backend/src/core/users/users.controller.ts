import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { CreateUserDto, UpdateUserDto } from './users.dto';
import { UsersService } from './users.service';

const uuid = new ParseUUIDPipe();

@ApiTags('users')
@Controller('v1/users')
@Roles('tenantAdmin')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  list() {
    return this.users.list();
  }

  @Post()
  create(@Body() dto: CreateUserDto) {
    return this.users.create(dto);
  }

  @Get(':id')
  get(@Param('id', uuid) id: string) {
    return this.users.get(id);
  }

  @Patch(':id')
  update(@Param('id', uuid) id: string, @Body() dto: UpdateUserDto) {
    return this.users.update(id, dto);
  }

  @Post(':id/reset-password')
  @HttpCode(200)
  resetPassword(@Param('id', uuid) id: string) {
    return this.users.resetPassword(id);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id', uuid) id: string) {
    return this.users.remove(id);
  }
}
