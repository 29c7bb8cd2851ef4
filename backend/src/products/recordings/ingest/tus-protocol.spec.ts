import { BadRequestException } from '@nestjs/common';
import { byteCountHeader, parseUploadChecksum, parseUploadMetadata } from './tus-protocol';

const fieldOf = (work: () => unknown): string => {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return ((error as BadRequestException).getResponse() as { errors: { field: string }[] }).errors[0].field;
  }
  throw new Error('expected a 400');
};

describe('parseUploadMetadata', () => {
  it('decodes base64 values, keeps keys without a value, ignores spaces around pairs', () => {
    const json = JSON.stringify({ clientRecordingId: 'a,b c' });
    const header = `filename ${Buffer.from('通話.wav').toString('base64')}, metadata ${Buffer.from(json).toString('base64')},is_confidential`;
    expect([...parseUploadMetadata(header)]).toEqual([
      ['filename', '通話.wav'],
      ['metadata', json],
      ['is_confidential', ''],
    ]);
    expect(parseUploadMetadata(undefined).size).toBe(0);
  });

  it.each([
    ['metadata eyJ9 extra', 'Upload-Metadata'],
    ['metadata eyJ9,metadata eyJ9', 'Upload-Metadata'],
    ['metadata {"a":1}', 'Upload-Metadata.metadata'],
  ])('refuses %s naming %s', (header, field) => {
    expect(fieldOf(() => parseUploadMetadata(header))).toBe(field);
  });
});

describe('byteCountHeader', () => {
  it.each([
    ['0', 0],
    [' 1024 ', 1024],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('reads %s', (value, expected) => expect(byteCountHeader('Upload-Offset', value)).toBe(expected));

  it.each([undefined, '', '-1', '1.5', '0x10', '99999999999999999', ['1', '2']])('refuses %p', (value) => {
    expect(fieldOf(() => byteCountHeader('Upload-Offset', value))).toBe('Upload-Offset');
  });
});

describe('parseUploadChecksum', () => {
  it('reads the algorithm and the base64 digest', () => {
    const digest = Buffer.alloc(32, 7);
    expect(parseUploadChecksum(`sha256 ${digest.toString('base64')}`)).toEqual({ algorithm: 'sha256', digest });
    expect(parseUploadChecksum(undefined)).toBeUndefined();
  });

  it.each(['sha256', 'md5 AAAA', 'sha1 not*base64', 'sha1 AAAA extra'])('refuses %s', (header) => {
    expect(fieldOf(() => parseUploadChecksum(header))).toBe('Upload-Checksum');
  });
});
