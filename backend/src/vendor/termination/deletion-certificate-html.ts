import type { DeletionCertificate } from './deletion-certificate';

const escape = (value: unknown): string => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const number = (n: number): string => n.toLocaleString('ja-JP');
const jst = (iso: string): string =>
  new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'long', timeStyle: 'medium' }).format(
    new Date(iso),
  ) + ' (日本時間)';

/** Category names of stored objects as people read them; an unknown one is shown as is. */
const OBJECT_CATEGORIES: Record<string, string> = {
  recordings: '通話録音',
  evidence: '証拠エクスポート',
  uploads: 'アップロード中のデータ',
};

/**
 * The human-readable Japanese rendering of a deletion certificate (削除証明書). It restates the signed
 * JSON; the JSON and its signature are what prove it, as the page itself says.
 */
export function certificateHtml(c: DeletionCertificate): string {
  const objectRows = Object.entries(c.objects)
    .map(
      ([category, t]) =>
        `<tr><td>${escape(OBJECT_CATEGORIES[category] ?? category)}</td><td class="n">${number(t.count)} 件</td><td class="n">${number(t.bytes)} バイト</td></tr>`,
    )
    .join('');
  const tableRows = Object.entries(c.rows)
    .filter(([, n]) => n > 0)
    .map(([table, n]) => `<tr><td><code>${escape(table)}</code></td><td class="n">${number(n)} 行</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>データ削除証明書 ${escape(c.tenant.name)}</title>
<style>body{font-family:"Noto Sans JP",sans-serif;max-width:48rem;margin:2rem auto;line-height:1.6}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}td,th{border:1px solid #999;padding:.25rem .5rem;text-align:left}
.n{text-align:right}code{font-size:.85em}</style></head>
<body>
<h1>データ削除証明書</h1>
<p>利用規約第12条第4項に基づき、下記のお客様のサービス終了に伴い、サーバー及びストレージ上の音声データを含むすべての情報を削除したことを証明します。</p>
<table>
<tr><th>証明書番号</th><td><code>${escape(c.certificateId)}</code></td></tr>
<tr><th>お客様</th><td>${escape(c.tenant.name)}（<code>${escape(c.tenant.id)}</code>）</td></tr>
<tr><th>契約番号</th><td>${escape(c.contractId)}</td></tr>
<tr><th>サービス終了日</th><td>${escape(c.serviceEndDate)}</td></tr>
<tr><th>削除開始</th><td>${escape(jst(c.startedAt))}</td></tr>
<tr><th>削除完了</th><td>${escape(jst(c.finishedAt))}</td></tr>
<tr><th>破棄した暗号鍵</th><td>${c.destroyedKeyIds.map((k) => `<code>${escape(k)}</code>`).join('<br>') || 'なし'}</td></tr>
<tr><th>ソフトウェア版</th><td>${escape(c.softwareVersion)}</td></tr>
</table>
<h2>削除した保存データ</h2>
<table><tr><th>種類</th><th>件数</th><th>容量</th></tr>${objectRows}
<tr><td>FlexDPlayer 受信ファイル</td><td class="n">${number(c.files.count)} 件</td><td class="n">${number(c.files.bytes)} バイト</td></tr>
<tr><th>合計</th><th class="n">${number(c.totals.objects + c.totals.files)} 件</th><th class="n">${number(c.totals.objectBytes + c.totals.fileBytes)} バイト</th></tr></table>
<h2>削除したデータベースの行</h2>
<table><tr><th>表</th><th>行数</th></tr>${tableRows}<tr><th>合計</th><th class="n">${number(c.totals.rows)} 行</th></tr></table>
<h2>保持する記録</h2>
<p>契約・請求・入金の記録、お客様の識別情報（ID と名称、解約済みの印）、及びこの削除を記録した当社の監査ログのみを保持します。</p>
<h2>署名</h2>
<p>この証明書の正本は JSON 文書とその Ed25519 署名です（鍵指紋 <code>${escape(c.signature.keyFingerprint)}</code>）。
<code>npm run certificate:verify -- 証明書.json --public-key 公開鍵.pem</code> で検証できます。公開鍵は <code>/api/v1/evidence/public-key</code> で公開しています。</p>
</body></html>
`;
}
