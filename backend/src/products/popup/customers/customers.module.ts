import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { tenantRepositoryProvider } from '../../../core/tenancy/tenant-repository';
import { CUSTOMER_MATCHER } from '../realtime/customer-matcher';
import { Customer, CustomerFieldDefinition, CustomerNumber, CustomerRank } from './customer.entities';
import { CustomersController } from './customers.controller';
import { CustomersService } from './customers.service';
import { DirectorySettingsController } from './directory-settings.controller';
import { DirectorySettingsService } from './directory-settings.service';
import { DIRECTORY_ENTITIES } from './directory-entities';
import { CustomerExport } from './export/customer-export';
import { CustomerImport, CustomerImportChunk, CustomerImportMapping } from './import/customer-import.entities';
import { CustomerImportsController } from './import/customer-imports.controller';
import { CustomerImportsService } from './import/customer-imports.service';
import { ImportFiles } from './import/import-files';
import { ImportMappingsService } from './import/import-mappings.service';

/**
 * 応対力's customer directory: customers and their numbers, ranks and custom fields, CSV import
 * and export. The popup finds callers through CustomersService.matchNumber (also as CUSTOMER_MATCHER).
 */
@Module({
  imports: [TypeOrmModule.forFeature(DIRECTORY_ENTITIES)],
  controllers: [CustomersController, DirectorySettingsController, CustomerImportsController],
  providers: [
    CustomersService,
    DirectorySettingsService,
    CustomerImportsService,
    ImportMappingsService,
    ImportFiles,
    CustomerExport,
    { provide: CUSTOMER_MATCHER, useExisting: CustomersService },
    tenantRepositoryProvider(Customer, 'customer'),
    tenantRepositoryProvider(CustomerNumber, 'customer number'),
    tenantRepositoryProvider(CustomerRank, 'customer rank'),
    tenantRepositoryProvider(CustomerFieldDefinition, 'customer field'),
    tenantRepositoryProvider(CustomerImport, 'customer import'),
    tenantRepositoryProvider(CustomerImportChunk, 'customer import file'),
    tenantRepositoryProvider(CustomerImportMapping, 'customer import mapping'),
  ],
  exports: [CustomersService, CUSTOMER_MATCHER],
})
export class CustomersModule {}
