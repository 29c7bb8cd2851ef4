import { Injectable, OnModuleInit, Inject } from '@nestjs/common';
import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { SETTING, SystemSettingsService } from '../setup/system-settings.service';

/**
 * Where requests made for a tenant (webhooks, the lookup hook, kintone, FlexLog alerts) may go.
 * `all`: anywhere (an on-premises appliance calling the customer's own CRM on its LAN).
 * `public`: public internet addresses only: in the hosted service a tenant admin must not make the
 * appliance call its own loopback, the vendor's private network or the cloud metadata address.
 */
export type OutboundNetworks = 'all' | 'public';

const notPublic = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  notPublic.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  notPublic.addSubnet(net, prefix, 'ipv6');
}

/** True for an address on the public internet (IPv4-mapped IPv6 judged as its IPv4 address). */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPublicAddress(mapped[1]);
  const family = isIP(address);
  if (!family) return false;
  return !notPublic.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class OutboundRefused extends Error {}

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The connect-time lookup of the public-only agent: the address checked is the one connected to,
 * so a name that resolves to a public address when saved and a private one later (DNS rebinding)
 * is still refused.
 */
function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused || !addresses.length) {
      const why = refused ? `resolves to ${refused.address}` : 'has no address';
      return callback(new OutboundRefused(`${hostname} ${why}, not a public internet address`), []);
    }
    if (options.all) return callback(null, addresses);
    return callback(null, addresses[0].address, addresses[0].family);
  });
}

const publicOnlyAgent = new Agent({ connect: { lookup: publicOnlyLookup as never } });

let networksNow: () => Promise<OutboundNetworks> = async () => 'all';

/**
 * fetch() for requests a tenant configured. Under `public` a literal private address is refused
 * before anything is sent, and names are checked as they are connected to.
 */
export async function outboundFetch(url: string, init: RequestInit): Promise<Response> {
  if ((await networksNow()) === 'all') return fetch(url, init);
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) && !isPublicAddress(host)) {
    throw new OutboundRefused(`${host} is not a public internet address`);
  }
  // undici's own fetch takes its Agent; the answer behaves as the global Response does.
  return (await undiciFetch(url, { ...(init as object), dispatcher: publicOnlyAgent })) as unknown as Response;
}

/**
 * Decides `all` or `public` from OUTBOUND_NETWORKS; `auto` (the default) follows the deployment
 * mode: the hosted multi-tenant service is public-only, a customer's own appliance reaches its LAN.
 */
@Injectable()
export class OutboundNetworkPolicy implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly settings: SystemSettingsService,
  ) {}

  onModuleInit(): void {
    networksNow = () => this.networks();
  }

  async networks(): Promise<OutboundNetworks> {
    const configured = this.config.outboundNetworks;
    if (configured !== 'auto') return configured;
    const mode = await this.settings.get<string>(SETTING.deploymentMode);
    return mode === 'multi' ? 'public' : 'all';
  }
}
