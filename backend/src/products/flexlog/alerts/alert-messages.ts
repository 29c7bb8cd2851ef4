import type { Condition } from '../health/site-conditions';
import type { SiteFigures } from '../health/site-status';

export type AlertState = 'raised' | 'cleared';

/** One change of one condition of one site: the queue job, the mail and the webhook body all carry it. */
export interface SiteAlert {
  /** Delivery id: the webhook's X-FlexLog-Delivery header, the audit entries' link. */
  id: string;
  tenantId: string;
  site: { id: string; name: string; location: string | null };
  condition: Condition;
  state: AlertState;
  at: string;
  lastSeenAt: string | null;
  figures: SiteFigures | null;
}

const TITLES: Record<Condition, Record<AlertState, [string, string]>> = {
  offline: {
    raised: ['拠点との通信が途絶えました', 'site offline'],
    cleared: ['拠点との通信が回復しました', 'site back online'],
  },
  drops: {
    raised: ['パケットの取りこぼしが発生しています', 'packets dropped'],
    cleared: ['パケットの取りこぼしが解消しました', 'packet drops over'],
  },
  uploadStalled: {
    raised: ['録音のアップロードが停止しています', 'uploads stalled'],
    cleared: ['録音のアップロードが再開しました', 'uploads resumed'],
  },
  spoolFull: {
    raised: ['録音待ち領域(スプール)が満杯に近づいています', 'spool nearly full'],
    cleared: ['録音待ち領域(スプール)の空きが回復しました', 'spool space recovered'],
  },
};

const EXPLANATION: Record<Condition, [string, string]> = {
  offline: [
    'キャプチャ装置からの死活通知が届いていません。装置の電源・ネットワーク・サーバーへの接続を確認してください。通信が途絶えている間の通話は録音されていない可能性があります。',
    'The capture box stopped sending heartbeats. Check its power, its network and its connection to the server; calls during the outage may not be recorded.',
  ],
  drops: [
    'キャプチャ装置がパケットを取りこぼしています。通話の音声が欠ける可能性があります。ミラーポートの帯域や装置の負荷を確認してください。',
    'The capture box is dropping packets: recordings may have gaps. Check the mirror port bandwidth and the load on the box.',
  ],
  uploadStalled: [
    '終話した通話が30分以上サーバーへアップロードされていません。装置からサーバーへの接続とAPIキーを確認してください。録音は装置内に保持されています。',
    'Finished calls have waited more than 30 minutes without an upload. Check the connection from the box to the server and its API key; the recordings are kept on the box meanwhile.',
  ],
  spoolFull: [
    '装置内の録音待ち領域が90%を超えました。満杯になると新しい通話を保存できません。アップロードが進んでいるか確認してください。',
    'The spool on the box is over 90 % full. When it is full no new call can be kept; check that uploads are progressing.',
  ],
};

const n = (v: number) => v.toLocaleString('en-US');

export function alertMail(alert: SiteAlert): { subject: string; text: string } {
  const [ja, en] = TITLES[alert.condition][alert.state];
  const f = alert.figures;
  const figures = f
    ? [
        `packets/s ${n(f.packetsPerSecond)}, drops/min ${n(f.dropsPerMinute)}, active calls ${n(f.activeCalls)},`,
        `spool ${n(f.spoolBytes)} / ${n(f.spoolCapacityBytes)} bytes${f.spoolPercent === null ? '' : ` (${f.spoolPercent}%)`},`,
        `last upload ${f.lastUploadAt ? new Date(f.lastUploadAt).toISOString() : '-'}, version ${f.version}`,
      ]
    : [];
  const place = alert.site.location ? ` (${alert.site.location})` : '';
  return {
    subject: `[FlexLog] ${alert.site.name}: ${ja} / ${en}`,
    text: [
      `拠点「${alert.site.name}」${place}: ${ja}`,
      ...(alert.state === 'raised' ? [EXPLANATION[alert.condition][0]] : []),
      `時刻: ${alert.at}  最終受信: ${alert.lastSeenAt ?? '-'}`,
      '',
      `Site "${alert.site.name}"${place}: ${en}.`,
      ...(alert.state === 'raised' ? [EXPLANATION[alert.condition][1]] : []),
      `At ${alert.at}; last heartbeat ${alert.lastSeenAt ?? '-'}.`,
      ...figures,
      '',
      'この通知は状態が変わったときに一度だけ送られます。 This mail is sent once per change of state.',
    ].join('\n'),
  };
}

/** The webhook's JSON body (signed as sent): stable field names for receivers to depend on. */
export function webhookBody(alert: SiteAlert) {
  return {
    event: `flexlog.site.${alert.condition}.${alert.state}`,
    deliveryId: alert.id,
    condition: alert.condition,
    state: alert.state,
    at: alert.at,
    site: alert.site,
    lastSeenAt: alert.lastSeenAt,
    figures: alert.figures,
  };
}
