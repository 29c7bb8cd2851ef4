import { Customer, CustomerFieldDefinition, CustomerNumber, CustomerRank } from './customer.entities';
import { CustomerImport, CustomerImportChunk, CustomerImportMapping } from './import/customer-import.entities';

/** Every table of the customer directory: the module registers them, schema.ts lists them. */
export const DIRECTORY_ENTITIES = [
  Customer,
  CustomerNumber,
  CustomerRank,
  CustomerFieldDefinition,
  CustomerImport,
  CustomerImportChunk,
  CustomerImportMapping,
];
