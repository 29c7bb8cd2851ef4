import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * kintone-stand-in: a local HTTP server implementing the documented subset of kintone's REST API
 * that the 応対力 connector uses, because the real kintone (cybozu.com) is a cloud service the
 * tests cannot reach. Implemented, as documented:
 *   GET  /k/v1/records.json  app, query, fields[n] -> {"records":[{code:{type,value}}], "totalCount": null}
 *   POST /k/v1/record.json   {"app", "record": {code: {"value"}}} -> {"id", "revision": "1"}
 *   X-Cybozu-API-Token: a token belongs to one app and carries view and/or add permission.
 *   Errors as {"code", "id", "message"}: GAIA_AP01 app not found (404), a token that is not the
 *   app's (GAIA_IA02, 401 here), a token without the permission (GAIA_NO01, 403), validation
 *   (CB_VA01, 400, with "errors"), and, as this stand-in's approximation of kintone's query
 *   errors, CB_VA01 for a query outside the subset below.
 *   Query subset: `<code> like|= "<string>"` joined by and/or (no parentheses), then optional
 *   `order by <code> asc|desc`, `limit <n>`, `offset <n>`; strings escape \ and " with a backslash.
 * Unknown field codes in an added record are ignored, as documented; required fields are enforced.
 */
export interface StandInApp {
  id: number;
  /** Field code -> kintone field type (SINGLE_LINE_TEXT, LINK, NUMBER, DATETIME, DROP_DOWN…). */
  fields: Record<string, string>;
  required?: string[];
  tokens: Record<string, Array<'view' | 'add'>>;
  records: Array<Record<string, { type: string; value: unknown }>>;
}

type Condition = { code: string; op: 'like' | '='; value: string };

export class KintoneStandIn {
  readonly requests: Array<{ method: string; url: string; token: string | undefined }> = [];
  private readonly apps = new Map<number, StandInApp>();
  private server!: Server;
  private nextId = 1;
  private unavailable = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  addApp(app: Omit<StandInApp, 'records'>): StandInApp {
    const full = { ...app, records: [] };
    this.apps.set(app.id, full);
    return full;
  }

  /** Stores a record as kintone would ($id added); values keyed by field code. */
  seed(appId: number, values: Record<string, unknown>): void {
    const app = this.apps.get(appId) as StandInApp;
    app.records.push(this.toRecord(app, values));
  }

  /** The next `count` requests answer 503 with an HTML page, as a server in maintenance or overloaded would. */
  failNext(count: number): void {
    this.unavailable = count;
  }

  records(appId: number) {
    return this.apps.get(appId)?.records ?? [];
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private toRecord(app: StandInApp, values: Record<string, unknown>) {
    const record: Record<string, { type: string; value: unknown }> = {
      $id: { type: '__ID__', value: String(this.nextId++) },
    };
    for (const [code, value] of Object.entries(values)) {
      if (app.fields[code]) record[code] = { type: app.fields[code], value };
    }
    return record;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const token = req.headers['x-cybozu-api-token'] as string | undefined;
    this.requests.push({ method: req.method ?? '', url: req.url ?? '', token });
    const fail = (status: number, code: string, message: string, errors?: unknown) => {
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ code, id: randomUUID(), message, ...(errors ? { errors } : {}) }));
    };
    const ok = (body: unknown) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    };
    let body: Record<string, unknown> = {};
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        return fail(400, 'CB_IJ01', '不正なJSON文字列です。');
      }
    }
    if (this.unavailable > 0) {
      this.unavailable -= 1;
      res.statusCode = 503;
      res.setHeader('content-type', 'text/html');
      res.end('<html><body>Service Unavailable</body></html>');
      return;
    }
    const route = `${req.method} ${url.pathname}`;
    if (route !== 'GET /k/v1/records.json' && route !== 'POST /k/v1/record.json') {
      return fail(404, 'CB_NF01', '指定したAPIが見つかりません。');
    }
    const appId = Number(req.method === 'GET' ? url.searchParams.get('app') : body['app']);
    if (!Number.isInteger(appId) || appId < 1) {
      return fail(400, 'CB_VA01', '入力内容が正しくありません。', { app: { messages: ['必須です。'] } });
    }
    const app = this.apps.get(appId);
    if (!app)
      return fail(404, 'GAIA_AP01', `指定したアプリ(id: ${appId})が見つかりません。削除されている可能性があります。`);
    if (!token) return fail(401, 'CB_AU01', 'ログインしてください。');
    const permissions = app.tokens[token];
    if (!permissions) return fail(401, 'GAIA_IA02', '指定したAPIトークンが正しくありません。');
    if (req.method === 'GET') {
      if (!permissions.includes('view'))
        return fail(403, 'GAIA_NO01', 'このAPIトークンでは、指定したAPIを実行できません。');
      const fields = [...url.searchParams.entries()].filter(([k]) => /^fields\[\d+\]$/.test(k)).map(([, v]) => v);
      let parsed: ReturnType<typeof parseQuery>;
      try {
        parsed = parseQuery(url.searchParams.get('query') ?? '', app);
      } catch (error) {
        return fail(400, 'CB_VA01', '入力内容が正しくありません。', {
          query: { messages: [(error as Error).message] },
        });
      }
      const hits = app.records.filter(parsed.matches).slice(parsed.offset, parsed.offset + parsed.limit);
      const records = hits.map((r) =>
        fields.length ? Object.fromEntries(Object.entries(r).filter(([code]) => fields.includes(code))) : r,
      );
      return ok({ records, totalCount: null });
    }
    if (!permissions.includes('add'))
      return fail(403, 'GAIA_NO01', 'このAPIトークンでは、指定したAPIを実行できません。');
    const given = (body['record'] ?? {}) as Record<string, { value?: unknown }>;
    const missing = (app.required ?? []).filter((code) => !String(given[code]?.value ?? '').trim());
    if (missing.length) {
      const errors = Object.fromEntries(missing.map((c) => [`record.${c}.value`, { messages: ['必須です。'] }]));
      return fail(400, 'CB_VA01', '入力内容が正しくありません。', errors);
    }
    const record = this.toRecord(app, Object.fromEntries(Object.entries(given).map(([c, v]) => [c, v?.value])));
    app.records.push(record);
    return ok({ id: record['$id'].value, revision: '1' });
  }
}

/** The query subset above; throws for anything else. */
function parseQuery(query: string, app: StandInApp) {
  const tokens = [...query.matchAll(/\s*("(?:[^"\\]|\\.)*"|[^\s"]+)/g)].map((m) => m[1]);
  const conditions: Condition[] = [];
  const joins: string[] = [];
  let limit = 100;
  let offset = 0;
  let i = 0;
  const str = (t: string | undefined) => {
    if (!t || !t.startsWith('"')) throw new Error(`a "string" is expected, not ${t ?? 'the end'}`);
    return t.slice(1, -1).replace(/\\(.)/g, '$1');
  };
  while (i < tokens.length && !['order', 'limit', 'offset'].includes(tokens[i])) {
    const [code, op, value] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (!app.fields[code]) throw new Error(`field ${code} not found`);
    if (op !== 'like' && op !== '=') throw new Error(`operator ${op} is not in this stand-in's subset`);
    conditions.push({ code, op, value: str(value) });
    i += 3;
    if (tokens[i] === 'and' || tokens[i] === 'or') joins.push(tokens[i++]);
    else if (i < tokens.length && !['order', 'limit', 'offset'].includes(tokens[i])) {
      throw new Error(`unexpected ${tokens[i]}`);
    }
  }
  if (tokens[i] === 'order') {
    if (tokens[i + 1] !== 'by' || !app.fields[tokens[i + 2]] || !['asc', 'desc'].includes(tokens[i + 3])) {
      throw new Error('order by <field> asc|desc');
    }
    i += 4;
  }
  if (tokens[i] === 'limit') {
    limit = Number(tokens[i + 1]);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new Error('limit must be 1-500');
    i += 2;
  }
  if (tokens[i] === 'offset') {
    offset = Number(tokens[i + 1]);
    if (!Number.isInteger(offset) || offset < 0 || offset > 10_000) throw new Error('offset must be 0-10000');
    i += 2;
  }
  if (i < tokens.length) throw new Error(`unexpected ${tokens[i]}`);
  const test = (record: Record<string, { value: unknown }>, c: Condition) => {
    const value = String(record[c.code]?.value ?? '');
    return c.op === '=' ? value === c.value : value.toLowerCase().includes(c.value.toLowerCase());
  };
  // and binds tighter than or, as in kintone.
  const matches = (record: Record<string, { value: unknown }>) => {
    if (!conditions.length) return true;
    let anyGroup = false;
    let group = test(record, conditions[0]);
    joins.forEach((join, k) => {
      const next = test(record, conditions[k + 1]);
      if (join === 'and') group = group && next;
      else {
        anyGroup = anyGroup || group;
        group = next;
      }
    });
    return anyGroup || group;
  };
  return { matches, limit, offset };
}
