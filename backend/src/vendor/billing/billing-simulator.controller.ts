import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../core/auth/auth.decorators';
import { fieldErrors } from '../../platform/http/field-errors';
import { ScenarioError } from './scenario';
import { simulateBilling, SimulationResult } from './simulate';

/**
 * The billing simulator for vendor staff (quotes, answering a customer about a bill). It reads no
 * tenant data, so support staff need no grant; tenant users get 403. The body is handed to the same
 * parser the CLI uses, not to a DTO, so both refuse the same scenarios with the same field names and
 * answer the same JSON.
 */
@ApiTags('vendor')
@Controller('v1/vendor/billing')
@Roles('vendorAdmin', 'vendorSupport')
export class BillingSimulatorController {
  @Post('simulate')
  @HttpCode(200)
  @ApiBody({ description: 'a scenario as in docs/billing.md ("The simulator contract")' })
  @ApiOkResponse({ description: "the scenario's dates and invoices" })
  simulate(@Body() scenario: unknown): SimulationResult {
    try {
      return simulateBilling(scenario);
    } catch (error) {
      if (error instanceof ScenarioError) throw fieldErrors(error.problems);
      throw error;
    }
  }
}
