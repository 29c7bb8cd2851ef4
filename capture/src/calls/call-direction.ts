import { Cidr, cidrContains, parseCidr } from './ip-address';
import { CallDirection } from './call-record';

// Which side of the site each party is on. Numbers decide first: a number that matches the
// site's extension rules is internal. Without extension rules, the party's signalling address
// decides (inside one of the internal networks or not). When numbers make both parties external
// (e.g. a DID on the trunk leg), an internal address breaks the tie.

export interface DirectionRules {
  /** CIDR blocks of the site (e.g. 192.168.0.0/16, fd00::/8). */
  internalNetworks?: string[];
  /** A regular expression an internal extension matches in full (e.g. "^[1-4]\\d{2}$"). */
  extensionPattern?: string;
  /** Lengths of internal extensions (e.g. [3, 4]); digits only. */
  extensionLengths?: number[];
}

export class DirectionClassifier {
  private readonly networks: Cidr[];
  private readonly pattern: RegExp | null;
  private readonly lengths: Set<number>;

  constructor(rules: DirectionRules = {}) {
    this.networks = [];
    for (const text of rules.internalNetworks ?? []) {
      const cidr = parseCidr(text);
      if (!cidr) throw new Error(`internalNetworks: not a CIDR block (${text})`);
      this.networks.push(cidr);
    }
    try {
      this.pattern = rules.extensionPattern ? new RegExp(rules.extensionPattern) : null;
    } catch {
      throw new Error(`extensionPattern: not a valid regular expression (${rules.extensionPattern})`);
    }
    this.lengths = new Set(rules.extensionLengths ?? []);
  }

  private get hasExtensionRules(): boolean {
    return this.pattern !== null || this.lengths.size > 0;
  }

  isExtension(number: string): boolean {
    if (!number) return false;
    if (this.pattern?.test(number)) return true;
    return this.lengths.has(number.length) && /^\d+$/.test(number);
  }

  isInternalAddress(ip: string): boolean {
    return this.networks.some((cidr) => cidrContains(cidr, ip));
  }

  classify(caller: { number: string; ip: string }, callee: { number: string; ip: string }): CallDirection {
    const numbersDecide = this.hasExtensionRules;
    let callerInternal = numbersDecide ? this.isExtension(caller.number) : this.isInternalAddress(caller.ip);
    let calleeInternal = numbersDecide ? this.isExtension(callee.number) : this.isInternalAddress(callee.ip);
    if (numbersDecide && !callerInternal && !calleeInternal) {
      callerInternal = this.isInternalAddress(caller.ip);
      calleeInternal = !callerInternal && this.isInternalAddress(callee.ip);
    }
    if (callerInternal && calleeInternal) return 'internal';
    if (callerInternal) return 'outbound';
    if (calleeInternal) return 'inbound';
    return 'unknown';
  }
}
