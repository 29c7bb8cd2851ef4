import { NonNullableFormBuilder, Validators } from '@angular/forms';
import { MAPPED_FIELDS, MappedField, MappingProfile, MappingProfileBody, SIDECAR_FORMATS } from '../flexdplayer.api';

export type ProfileForm = ReturnType<typeof profileForm>;

const fieldControls = (fb: NonNullableFormBuilder) =>
  fb.group(
    Object.fromEntries(MAPPED_FIELDS.map((f) => [f, fb.control('', Validators.maxLength(100))])) as Record<
      MappedField,
      ReturnType<NonNullableFormBuilder['control']>
    >,
  );

/** The editor's form, its groups named as the API names the fields (`sidecar.timeFormat`, ...). */
export function profileForm(fb: NonNullableFormBuilder) {
  return fb.group({
    name: ['', [Validators.required, Validators.maxLength(100)]],
    patternKind: fb.control<'tokens' | 'regex'>('tokens'),
    fileNamePattern: ['', Validators.maxLength(500)],
    sidecar: fb.group({
      format: fb.control<(typeof SIDECAR_FORMATS)[number]>('auto'),
      required: [false],
      fields: fieldControls(fb),
      csvDelimiter: [','],
      timeFormat: ['yyyy/MM/dd HH:mm:ss', [Validators.required, Validators.maxLength(40)]],
    }),
    directionValues: fb.group({ inbound: ['', Validators.required], outbound: ['', Validators.required] }),
    timeZone: ['Asia/Tokyo', Validators.required],
  });
}

const words = (text: string) =>
  text
    .split(/[,、\n]/)
    .map((w) => w.trim())
    .filter(Boolean);

export function fillProfileForm(form: ProfileForm, p: MappingProfile, name = p.name): void {
  form.reset();
  form.patchValue({
    name,
    patternKind: p.patternKind,
    fileNamePattern: p.fileNamePattern ?? '',
    sidecar: {
      format: p.sidecar.format,
      required: p.sidecar.required,
      fields: Object.fromEntries(MAPPED_FIELDS.map((f) => [f, p.sidecar.fields[f] ?? ''])),
      csvDelimiter: p.sidecar.csvDelimiter,
      timeFormat: p.sidecar.timeFormat,
    },
    directionValues: { inbound: p.directionValues.inbound.join(', '), outbound: p.directionValues.outbound.join(', ') },
    timeZone: p.timeZone,
  });
}

/** The API body; a field left blank is not read from the sidecar. */
export function profileBody(form: ProfileForm): MappingProfileBody {
  const v = form.getRawValue();
  const fields = Object.fromEntries(
    Object.entries(v.sidecar.fields as Record<string, string>)
      .map(([k, column]) => [k, column.trim()])
      .filter(([, column]) => column),
  ) as MappingProfileBody['sidecar']['fields'];
  return {
    name: v.name.trim(),
    patternKind: v.patternKind,
    fileNamePattern: v.fileNamePattern.trim() || null,
    sidecar: { ...v.sidecar, fields },
    directionValues: { inbound: words(v.directionValues.inbound), outbound: words(v.directionValues.outbound) },
    timeZone: v.timeZone,
  };
}
