import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../core/auth/auth.decorators';
import { RequestContext } from '../../../core/tenancy/request-context';
import { CallPlaces, PlaceListing } from './call-places';

/** The tenant's sites and lines with their names: the choices of the search's site and line filters. */
@ApiTags('recordings')
@Controller('v1/recordings/places')
@Roles('tenantAdmin', 'supervisor', 'operator', 'auditor')
export class PlacesController {
  constructor(
    private readonly places: CallPlaces,
    private readonly context: RequestContext,
  ) {}

  @Get()
  list(): Promise<PlaceListing> {
    return this.places.list(this.context.tenantId());
  }
}
