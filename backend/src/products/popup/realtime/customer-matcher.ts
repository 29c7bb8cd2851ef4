/** A customer as the popup shows it; the customer directory decides the fields beyond these. */
export interface CustomerCard {
  id: string;
  name: string;
  [field: string]: unknown;
}

/** Finds the tenant's customers with a number (E.164), in the tenant of the current request context. */
export interface CustomerMatcher {
  matchNumber(e164: string): Promise<CustomerCard[]>;
}

/** The popup asks the customer directory through this token only, so neither imports the other's internals. */
export const CUSTOMER_MATCHER = Symbol('CUSTOMER_MATCHER');
