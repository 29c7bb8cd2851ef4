/** The input is not audio we accept; message and `format` name what it is when we can tell. */
export class UnsupportedAudioError extends Error {
  constructor(
    message: string,
    /** What the bytes are, when recognised (e.g. 'wav/ima_adpcm', 'flac'), else 'unknown'. */
    readonly format = 'unknown',
  ) {
    super(message);
    this.name = 'UnsupportedAudioError';
  }
}

/** The input claims a supported format but its bytes are broken (truncated, bad CRC, bad header). */
export class CorruptAudioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorruptAudioError';
  }
}
