// RTCP sender and receiver reports (RFC 3550 §6.4): what the endpoints themselves measured about
// loss and jitter, read from compound packets without allocating.

/** Receives each report block: about `ssrc`, the reporter saw `fractionLost`/256 lost and `jitter` (RTP units). */
export type ReportBlockVisitor = (ssrc: number, fractionLost: number, cumulativeLost: number, jitter: number) => void;

const SENDER_REPORT = 200;
const RECEIVER_REPORT = 201;

/** Walks a compound RTCP packet; returns false if it is malformed (nothing is reported then). */
export function readRtcpReports(buf: Uint8Array, visit: ReportBlockVisitor): boolean {
  // Validate the whole compound first (RFC 3550 A.2) so a broken tail reports nothing half-way.
  // A few stray bytes after the last packet occur in the wild (some stacks pad the datagram).
  let offset = 0;
  while (buf.length - offset >= 4) {
    if (buf[offset] >> 6 !== 2) return false;
    offset += (((buf[offset + 2] << 8) | buf[offset + 3]) + 1) * 4;
  }
  if (offset > buf.length || offset === 0) return false;
  const end = offset;

  for (offset = 0; offset < end;) {
    const count = buf[offset] & 0x1f;
    const type = buf[offset + 1];
    const next = offset + (((buf[offset + 2] << 8) | buf[offset + 3]) + 1) * 4;
    let block = -1;
    if (type === SENDER_REPORT) block = offset + 28;
    else if (type === RECEIVER_REPORT) block = offset + 8;
    if (block !== -1) {
      for (let i = 0; i < count && block + 24 <= next; i++, block += 24) {
        const ssrc = ((buf[block] << 24) | (buf[block + 1] << 16) | (buf[block + 2] << 8) | buf[block + 3]) >>> 0;
        const lostRaw = (buf[block + 5] << 16) | (buf[block + 6] << 8) | buf[block + 7];
        const cumulativeLost = lostRaw & 0x800000 ? lostRaw - 0x1000000 : lostRaw;
        const jitter =
          ((buf[block + 12] << 24) | (buf[block + 13] << 16) | (buf[block + 14] << 8) | buf[block + 15]) >>> 0;
        visit(ssrc, buf[block + 4], cumulativeLost, jitter);
      }
    }
    offset = next;
  }
  return true;
}
