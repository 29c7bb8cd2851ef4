import { FormControl, FormGroup, NonNullableFormBuilder } from '@angular/forms';
import { numberForSearch } from '../../recordings/phone-input';
import { CallFilter } from './storage.api';

/** The filter fields the deletion tool and the evidence export offer (a subset of the search's). */
export type CallFilterForm = FormGroup<{
  from: FormControl<string>;
  to: FormControl<string>;
  number: FormControl<string>;
  direction: FormControl<string>;
  source: FormControl<string>;
  extension: FormControl<string>;
  tag: FormControl<string>;
}>;

export function createCallFilterForm(fb: NonNullableFormBuilder): CallFilterForm {
  return fb.group({
    from: [''],
    to: [''],
    number: [''],
    direction: [''],
    source: [''],
    extension: [''],
    tag: [''],
  });
}

/**
 * The API filter of the form: empty fields are left out ({} = every call); dates stay
 * YYYY-MM-DD (the API reads them in the tenant's time zone, a date covering its whole day).
 */
export function toCallFilter(values: ReturnType<CallFilterForm['getRawValue']>): CallFilter {
  const filter: CallFilter = {};
  for (const [key, raw] of Object.entries(values)) {
    const value = raw.trim();
    if (!value) continue;
    filter[key] = key === 'number' ? numberForSearch(value) : value;
  }
  // Deleting or exporting "number X" means that number, not every number starting with it.
  if (filter['number']) filter['numberMatch'] = 'exact';
  return filter;
}
