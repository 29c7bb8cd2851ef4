/** The record does not fit in the bytes buffered so far: call again with more. */
export const NEED_MORE = 0;
/** The file cannot be framed any further (absurd length, bad block): stop reading it. */
export const CORRUPT = -1;

/**
 * Frames one record (pcap record, pcapng block) of a capture file. `parse` looks at buf[offset, end)
 * and returns how many bytes the record takes; a result beyond `end - offset` asks the caller to
 * skip that many bytes without buffering them (large blocks we do not read).
 */
export interface RecordParser {
  parse(buf: Buffer, offset: number, end: number): number;
  /** Why the last parse returned CORRUPT. */
  readonly corruptReason: string;
}
