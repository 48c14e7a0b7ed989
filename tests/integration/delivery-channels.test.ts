import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { DeliveryMessage } from '../../src/server/delivery/channel.ts';
import { createEmailChannel } from '../../src/server/delivery/channels/email.ts';
import { createDeliveryChannels } from '../../src/server/delivery/channels/index.ts';
import { createRobotChannel, RateLimiter } from '../../src/server/delivery/channels/robots.ts';
import { composeMessage } from '../../src/server/delivery/messages.ts';

/**
 * The delivery channels (issue 16) against real servers on loopback: smtp-server (a real SMTP
 * implementation, offering STARTTLS and AUTH) for e-mail, and one node:http server standing in for
 * 企业微信, 钉钉, 飞书 and a generic webhook, which checks each vendor's message shape and recomputes
 * its signature before answering as that vendor would.
 */

const message: DeliveryMessage = composeMessage(
  { kind: 'reminder', roundId: 7, roundLabel: '2017年第三季度', unitName: '环评处', text: '请于今天下班前提交推进情况，谢谢！' },
  { publicUrl: 'https://diaodu.example.gov.cn' },
);

// ---------------------------------------------------------------------------------------------
// SMTP

type Received = { from: string; to: string[]; user: string | null; secure: boolean; raw: string };

function smtpError(text: string, responseCode: number): Error {
  return Object.assign(new Error(text), { responseCode });
}

/** Decodes RFC 2047 encoded-words (B and Q) in an unfolded header value. */
function decodeHeader(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_all, _charset: string, encoding: string, text: string) =>
    encoding.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

function parseMail(raw: string): { headers: Map<string, string>; text: string } {
  const [head, ...rest] = raw.split(/\r\n\r\n/);
  const headers = new Map<string, string>();
  for (const line of head!.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  const body = rest.join('\r\n\r\n');
  const encoding = headers.get('content-transfer-encoding')?.toLowerCase();
  const text = encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : body;
  return { headers, text };
}

describe('e-mail over a real SMTP server on loopback', () => {
  const received: Received[] = [];
  let smtp: SMTPServer;
  let port: number;
  let downPort: number;
  const url = (auth = 'diaodu:s%40cret') => `smtp://${auth ? `${auth}@` : ''}127.0.0.1:${port}`;

  before(async () => {
    smtp = new SMTPServer({
      // STARTTLS is offered (smtp-server's own self-signed certificate) and AUTH only after it.
      authOptional: true,
      logger: false,
      // Its greeting would wait up to 1.5 s on a reverse lookup of 127.0.0.1, as long as the machine's
      // resolver takes: a CI host without one ran the pool's third message out of time.
      disableReverseLookup: true,
      onAuth(auth, _session, callback) {
        if (auth.username === 'diaodu' && auth.password === 's@cret') callback(null, { user: auth.username });
        else callback(smtpError('Authentication credentials invalid', 535));
      },
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('nobody@')) callback(smtpError('5.1.1 <nobody@example.gov.cn>: Recipient address rejected: User unknown', 550));
        else callback();
      },
      onData(stream, session: SMTPServerSession, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map((rcpt) => rcpt.address);
          if (to.some((address) => address.startsWith('busy@'))) return callback(smtpError('4.3.2 Mailbox busy, try again later', 451));
          const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
          received.push({
            from,
            to,
            user: typeof session.user === 'string' ? session.user : null,
            secure: session.secure,
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    port = (smtp.server.address() as AddressInfo).port;
    // A port nobody listens on: taken, then freed.
    const probe = createNetServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    downPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });

  after(async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  // The test server's certificate is self-signed; certificates are verified everywhere else. The
  // limits are the product's own (15 s to connect, greet and upgrade): a loaded machine takes seconds.
  const channelFor = (smtpUrl: string) =>
    createEmailChannel({ smtpUrl, from: '市生态环境局调度系统 <diaodu@example.gov.cn>', tls: { rejectUnauthorized: false } });

  test('a message arrives over STARTTLS, logged in, with the Chinese subject decoded and the link in the body', async () => {
    const channel = channelFor(url());
    try {
      const result = await channel.send({ channel: 'email', to: 'huanping@example.gov.cn' }, message);
      assert.equal(result.ok, true, JSON.stringify(result));
    } finally {
      channel.close();
    }
    const mail = received.at(-1)!;
    assert.deepEqual(mail.to, ['huanping@example.gov.cn']);
    assert.equal(mail.from, 'diaodu@example.gov.cn');
    assert.equal(mail.user, 'diaodu', 'AUTH used with the URL’s credentials');
    assert.equal(mail.secure, true, 'STARTTLS taken on smtp:// when offered');
    const parsed = parseMail(mail.raw);
    assert.match(parsed.headers.get('subject')!, /^=\?UTF-8\?/i, 'the subject is MIME-encoded, not raw 8-bit');
    assert.equal(decodeHeader(parsed.headers.get('subject')!), '【催办】2017年第三季度');
    assert.equal(decodeHeader(parsed.headers.get('from')!), '市生态环境局调度系统 <diaodu@example.gov.cn>');
    assert.match(parsed.headers.get('content-type')!, /text\/plain; charset=utf-8/i);
    assert.match(parsed.text, /^环评处：请于今天下班前提交推进情况，谢谢！/);
    assert.match(parsed.text, /查看详情：https:\/\/diaodu\.example\.gov\.cn\/todo\/7/);
    assert.equal(parsed.headers.get('auto-submitted'), 'auto-generated');
  });

  test('without credentials in the URL no AUTH is attempted', async () => {
    const channel = channelFor(url(''));
    try {
      assert.equal((await channel.send({ channel: 'email', to: 'guicai@example.gov.cn' }, message)).ok, true);
    } finally {
      channel.close();
    }
    assert.equal(received.at(-1)!.user, null);
  });

  test('a wrong password is refused for good, naming the server’s answer', async () => {
    const channel = channelFor(url('diaodu:wrong'));
    try {
      const result = await channel.send({ channel: 'email', to: 'huanping@example.gov.cn' }, message);
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.retry, false);
      assert.match(!result.ok ? result.reason : '', /^邮件服务器拒绝登录.*535/);
    } finally {
      channel.close();
    }
  });

  test('a recipient the server rejects (550) is not retried; the reason quotes the server', async () => {
    const channel = channelFor(url());
    const count = received.length;
    try {
      const result = await channel.send({ channel: 'email', to: 'nobody@example.gov.cn' }, message);
      assert.deepEqual(result.ok, false);
      assert.equal(!result.ok && result.retry, false);
      assert.match(!result.ok ? result.reason : '', /^邮件服务器拒收收件地址“nobody@example\.gov\.cn”，服务器答复：550 5\.1\.1/);
    } finally {
      channel.close();
    }
    assert.equal(received.length, count, 'nothing delivered');
  });

  test('a temporary refusal of the message (451) is retried', async () => {
    const channel = channelFor(url());
    try {
      const result = await channel.send({ channel: 'email', to: 'busy@example.gov.cn' }, message);
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.retry, true);
      assert.match(!result.ok ? result.reason : '', /^邮件服务器暂时拒收（451）.*Mailbox busy/);
    } finally {
      channel.close();
    }
  });

  test('a server that is down is retried', async () => {
    const channel = channelFor(`smtp://127.0.0.1:${downPort}`);
    try {
      const result = await channel.send({ channel: 'email', to: 'huanping@example.gov.cn' }, message);
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.retry, true);
      assert.match(!result.ok ? result.reason : '', /^无法连接邮件服务器：连接被拒绝/);
    } finally {
      channel.close();
    }
  });

  test('a server that accepts the connection but never greets times out, and is retried', async () => {
    const mute = createNetServer(() => undefined);
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    const channel = createEmailChannel({
      smtpUrl: `smtp://127.0.0.1:${(mute.address() as AddressInfo).port}`,
      from: 'diaodu@example.gov.cn',
      greetingTimeoutMs: 300,
    });
    try {
      const result = await channel.send({ channel: 'email', to: 'huanping@example.gov.cn' }, message);
      assert.deepEqual(result, { ok: false, reason: '无法连接邮件服务器：连接超时', retry: true });
    } finally {
      channel.close();
      await new Promise<void>((resolve) => mute.close(() => resolve()));
    }
  });

  test('`?requireTLS=true` on the URL refuses a server without STARTTLS rather than log in in clear text', async () => {
    const plain = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      logger: false,
      disableReverseLookup: true,
      onData: (stream, _session, callback) => stream.resume().on('end', () => callback()),
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const plainPort = (plain.server.address() as AddressInfo).port;
    const strict = channelFor(`smtp://diaodu:s%40cret@127.0.0.1:${plainPort}?requireTLS=true`);
    const lax = channelFor(`smtp://127.0.0.1:${plainPort}`);
    try {
      const refused = await strict.send({ channel: 'email', to: 'huanping@example.gov.cn' }, message);
      assert.equal(refused.ok, false);
      assert.equal(!refused.ok && refused.retry, false);
      assert.match(
        !refused.ok ? refused.reason : '',
        /^邮件服务器不支持加密连接（STARTTLS），而 DIAODU_SMTP_URL 要求加密，服务器答复：500/,
        JSON.stringify(refused),
      );
      assert.equal(
        (await lax.send({ channel: 'email', to: 'huanping@example.gov.cn' }, message)).ok,
        true,
        'without it, a server without STARTTLS is used as it is',
      );
    } finally {
      strict.close();
      lax.close();
      await new Promise<void>((resolve) => plain.close(() => resolve()));
    }
  });

  test('a malformed address is refused before any connection, for good', async () => {
    const channel = channelFor(url());
    try {
      for (const to of ['huanping', 'a b@example.gov.cn', 'x@y', '<a@b.cn>']) {
        const result = await channel.send({ channel: 'email', to }, message);
        assert.equal(result.ok, false, to);
        assert.equal(!result.ok && result.retry, false, to);
        assert.match(!result.ok ? result.reason : '', /不是有效的电子邮件地址/);
      }
    } finally {
      channel.close();
    }
  });

  test('the channels built from the configuration: e-mail only with an SMTP server, sent by the address’s kind', async () => {
    const none = createDeliveryChannels({ smtpUrl: null, mailFrom: null, publicUrl: null });
    assert.deepEqual([...none.kinds].sort(), ['dingtalk', 'feishu', 'webhook', 'wecom']);
    assert.deepEqual(await none.send({ channel: 'email', to: 'huanping@example.gov.cn' }, message), {
      ok: false,
      reason: '未配置邮件服务器（DIAODU_SMTP_URL），无法发送邮件',
      retry: false,
    });
    none.close();
    const all = createDeliveryChannels({ smtpUrl: url(), mailFrom: 'diaodu@example.gov.cn', publicUrl: null }, { smtpTls: { rejectUnauthorized: false } });
    try {
      assert.ok(all.kinds.includes('email'));
      assert.equal((await all.send({ channel: 'email', to: 'shuichu@example.gov.cn' }, message)).ok, true);
      assert.deepEqual(received.at(-1)!.to, ['shuichu@example.gov.cn']);
    } finally {
      all.close();
    }
  });

  test('the pool is reused for several messages and closed at shutdown', async () => {
    const channel = channelFor(url());
    const count = received.length;
    const results = await Promise.all(['a', 'b', 'c'].map((name) => channel.send({ channel: 'email', to: `${name}@example.gov.cn` }, message)));
    assert.ok(
      results.every((result) => result.ok),
      JSON.stringify(results),
    );
    assert.equal(received.length, count + 3);
    channel.close();
    const afterClose = await channel.send({ channel: 'email', to: 'd@example.gov.cn' }, message);
    assert.equal(afterClose.ok, false);
    assert.equal(!afterClose.ok && afterClose.retry, true);
  });
});

// ---------------------------------------------------------------------------------------------
// Robots

const DINGTALK_SECRET = 'SEC8f3a1c0e5b7d9f2a4c6e8b0d1f3a5c7e9b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a';
const FEISHU_SECRET = 'feishu-secret-4Yq2';

type Hit = { vendor: string; scenario: string; query: URLSearchParams; body: unknown };

/** What each vendor answers on success and on a failure of its own; each checks shape and signature first. */
function robotAnswer(
  vendor: string,
  scenario: string,
  query: URLSearchParams,
  body: Record<string, unknown>,
): { status: number; json?: unknown; headers?: Record<string, string> } {
  if (scenario === '500') return { status: 500, json: { error: 'internal' } };
  if (scenario === '429') return { status: 429, json: {}, headers: { 'retry-after': '30' } };
  const text = (body.text as { content?: unknown } | undefined)?.content;
  switch (vendor) {
    case 'wecom': {
      if (query.get('key') !== 'wecom-key') return { status: 200, json: { errcode: 93000, errmsg: 'invalid webhook url' } };
      if (body.msgtype !== 'text' || typeof text !== 'string' || Buffer.byteLength(text) > 2048)
        return { status: 200, json: { errcode: 40008, errmsg: 'invalid message type' } };
      if (scenario === 'freq') return { status: 200, json: { errcode: 45009, errmsg: 'api freq out of limit' } };
      return { status: 200, json: { errcode: 0, errmsg: 'ok' } };
    }
    case 'dingtalk': {
      if (query.get('access_token') !== 'ding-token') return { status: 200, json: { errcode: 300001, errmsg: 'token is not exist' } };
      const timestamp = Number(query.get('timestamp'));
      const expected = createHmac('sha256', DINGTALK_SECRET).update(`${timestamp}\n${DINGTALK_SECRET}`).digest('base64');
      if (!Number.isInteger(timestamp) || Math.abs(Date.now() - timestamp) > 3_600_000 || query.get('sign') !== expected)
        return { status: 200, json: { errcode: 310000, errmsg: 'sign not match' } };
      if (body.msgtype !== 'text' || typeof text !== 'string') return { status: 200, json: { errcode: 40035, errmsg: '缺少参数 json' } };
      if (scenario === 'freq') return { status: 200, json: { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' } };
      return { status: 200, json: { errcode: 0, errmsg: 'ok' } };
    }
    case 'feishu': {
      const timestamp = Number(body.timestamp);
      const expected = createHmac('sha256', `${timestamp}\n${FEISHU_SECRET}`).update('').digest('base64');
      if (typeof body.timestamp !== 'string' || Math.abs(Date.now() / 1000 - timestamp) > 3600 || body.sign !== expected)
        return { status: 200, json: { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time', data: {} } };
      const content = body.content as { text?: unknown } | undefined;
      if (body.msg_type !== 'text' || typeof content?.text !== 'string') return { status: 200, json: { code: 9499, msg: 'Bad Request', data: {} } };
      if (scenario === 'freq') return { status: 200, json: { code: 11232, msg: 'frequency limited psm[lark.oapi.app_platform_runtime]appID[1]', data: {} } };
      return { status: 200, json: { code: 0, msg: 'success', data: {} } };
    }
    default: {
      if (scenario === '404') return { status: 404, json: { error: 'no such hook' } };
      const shape = typeof body.subject === 'string' && typeof body.body === 'string' && 'link' in body;
      return shape ? { status: 204 } : { status: 400, json: { error: 'bad shape' } };
    }
  }
}

describe('group robots against a stand-in vendor API on loopback', () => {
  const hits: Hit[] = [];
  let server: HttpServer;
  let base: string;

  before(async () => {
    server = createHttpServer((request: IncomingMessage, response: ServerResponse) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const url = new URL(request.url ?? '/', 'http://localhost');
        const [, vendor = '', scenario = 'ok'] = url.pathname.split('/');
        if (scenario === 'slow') return; // never answers: the channel's timeout must end it
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        } catch {
          response.writeHead(400).end('not json');
          return;
        }
        assert.match(request.headers['content-type'] ?? '', /^application\/json/);
        hits.push({ vendor, scenario, query: url.searchParams, body });
        const answer = robotAnswer(vendor, scenario, url.searchParams, body);
        response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        response.end(answer.json === undefined ? undefined : JSON.stringify(answer.json));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('企业微信: text message with subject, body and link; key in the URL; errcode 0 is sent', async () => {
    const channel = createRobotChannel('wecom');
    const result = await channel.send({ channel: 'wecom', url: `${base}/wecom/ok?key=wecom-key` }, message);
    assert.deepEqual(result, { ok: true, detail: 'ok' });
    const hit = hits.at(-1)!;
    assert.deepEqual(hit.body, {
      msgtype: 'text',
      text: { content: '【催办】2017年第三季度\n环评处：请于今天下班前提交推进情况，谢谢！\nhttps://diaodu.example.gov.cn/todo/7' },
    });
  });

  test('企业微信: a very long message is cut to 2048 bytes keeping the link', async () => {
    const channel = createRobotChannel('wecom');
    const long = { ...message, body: '长'.repeat(2000) };
    assert.equal((await channel.send({ channel: 'wecom', url: `${base}/wecom/ok?key=wecom-key` }, long)).ok, true);
    const content = (hits.at(-1)!.body as { text: { content: string } }).text.content;
    assert.ok(Buffer.byteLength(content) <= 2048);
    assert.match(content, /…\nhttps:\/\/diaodu\.example\.gov\.cn\/todo\/7$/);
  });

  test('企业微信: a wrong key is a vendor error, not retried, its answer in the reason', async () => {
    const result = await createRobotChannel('wecom').send({ channel: 'wecom', url: `${base}/wecom/ok?key=revoked` }, message);
    assert.deepEqual(result, { ok: false, reason: '企业微信机器人答复错误 93000：invalid webhook url（请检查机器人地址、密钥和安全设置）', retry: false });
  });

  test('钉钉: signed with timestamp and HMAC-SHA256 in the query; the vendor recomputes the sign', async () => {
    const channel = createRobotChannel('dingtalk');
    const result = await channel.send({ channel: 'dingtalk', url: `${base}/dingtalk/ok?access_token=ding-token`, secret: DINGTALK_SECRET }, message);
    assert.deepEqual(result, { ok: true, detail: 'ok' });
    const hit = hits.at(-1)!;
    assert.equal(hit.query.get('access_token'), 'ding-token', 'the token is kept');
    assert.deepEqual(hit.body, {
      msgtype: 'text',
      text: { content: '【催办】2017年第三季度\n环评处：请于今天下班前提交推进情况，谢谢！\nhttps://diaodu.example.gov.cn/todo/7' },
    });
  });

  test('钉钉: a robot secured by keywords only (no secret) gets no sign parameters', async () => {
    await createRobotChannel('dingtalk').send({ channel: 'dingtalk', url: `${base}/dingtalk/ok?access_token=ding-token`, secret: null }, message);
    const hit = hits.at(-1)!;
    assert.deepEqual([...hit.query.keys()], ['access_token']);
  });

  test('钉钉: a wrong secret fails the vendor’s check (310000), not retried', async () => {
    const result = await createRobotChannel('dingtalk').send(
      { channel: 'dingtalk', url: `${base}/dingtalk/ok?access_token=ding-token`, secret: 'SECwrong' },
      message,
    );
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.retry, false);
    assert.match(!result.ok ? result.reason : '', /^钉钉机器人答复错误 310000：sign not match/);
  });

  test('钉钉: "send too fast" (130101) is retried after 10 minutes, and the robot is held until then', async () => {
    let clock = Date.now();
    const channel = createRobotChannel('dingtalk', { now: () => clock });
    const address = { channel: 'dingtalk' as const, url: `${base}/dingtalk/freq?access_token=ding-token`, secret: DINGTALK_SECRET };
    const result = await channel.send(address, message);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.retry, true);
    assert.equal(!result.ok && result.retryAfterMs, 600_000);
    const count = hits.length;
    clock += 60_000;
    const held = await channel.send(address, message);
    assert.equal(!held.ok && held.retryAfterMs, 540_000);
    assert.equal(hits.length, count, 'held locally: the vendor was not asked again');
  });

  test('飞书: timestamp (seconds) and sign in the body; code 0 is sent', async () => {
    const result = await createRobotChannel('feishu').send({ channel: 'feishu', url: `${base}/feishu/ok`, secret: FEISHU_SECRET }, message);
    assert.deepEqual(result, { ok: true, detail: 'success' });
    const body = hits.at(-1)!.body as Record<string, unknown>;
    assert.equal(body.msg_type, 'text');
    assert.deepEqual(body.content, { text: '【催办】2017年第三季度\n环评处：请于今天下班前提交推进情况，谢谢！\nhttps://diaodu.example.gov.cn/todo/7' });
  });

  test('飞书: a wrong secret (19021) is not retried; "frequency limited" (11232) is', async () => {
    const wrong = await createRobotChannel('feishu').send({ channel: 'feishu', url: `${base}/feishu/ok`, secret: 'nope' }, message);
    assert.equal(!wrong.ok && wrong.retry, false);
    assert.match(!wrong.ok ? wrong.reason : '', /^飞书机器人答复错误 19021/);
    const limited = await createRobotChannel('feishu').send({ channel: 'feishu', url: `${base}/feishu/freq`, secret: FEISHU_SECRET }, message);
    assert.equal(!limited.ok && limited.retry, true);
    assert.equal(!limited.ok && limited.retryAfterMs, 60_000);
  });

  test('generic webhook: POSTs {subject, body, link}; a 2xx is sent; a 404 is not retried', async () => {
    const channel = createRobotChannel('webhook');
    assert.deepEqual(await channel.send({ channel: 'webhook', url: `${base}/webhook/ok` }, message), { ok: true, detail: 'HTTP 204' });
    assert.deepEqual(hits.at(-1)!.body, { subject: message.subject, body: message.body, link: message.link });
    const gone = await channel.send({ channel: 'webhook', url: `${base}/webhook/404` }, message);
    assert.equal(!gone.ok && gone.retry, false);
    assert.match(!gone.ok ? gone.reason : '', /HTTP 404/);
  });

  test('a robot answering 500 is retried; 429 is retried after its Retry-After', async () => {
    for (const kind of ['wecom', 'dingtalk', 'feishu', 'webhook'] as const) {
      const channel = createRobotChannel(kind);
      const failed = await channel.send({ channel: kind, url: `${base}/${kind}/500?key=wecom-key&access_token=ding-token`, secret: null }, message);
      assert.equal(failed.ok, false, kind);
      assert.equal(!failed.ok && failed.retry, true, kind);
      assert.match(!failed.ok ? failed.reason : '', /服务出错（HTTP 500）/);
      const busy = await channel.send({ channel: kind, url: `${base}/${kind}/429?key=wecom-key` }, message);
      assert.equal(!busy.ok && busy.retry, true, kind);
      assert.equal(!busy.ok && busy.retryAfterMs, 30_000, kind);
    }
  });

  test('a robot that does not answer in time, or cannot be reached, is retried', async () => {
    const slow = await createRobotChannel('webhook', { timeoutMs: 200 }).send({ channel: 'webhook', url: `${base}/webhook/slow` }, message);
    assert.deepEqual(slow, { ok: false, reason: 'Webhook 接口在 0.2 秒内未应答', retry: true });
    const down = await createRobotChannel('wecom').send({ channel: 'wecom', url: 'http://127.0.0.1:1/cgi-bin/webhook/send?key=x' }, message);
    assert.equal(!down.ok && down.retry, true);
    assert.match(!down.ok ? down.reason : '', /^无法连接企业微信机器人/);
  });

  test('an address that is not an http(s) URL is refused for good without a request', async () => {
    const count = hits.length;
    for (const url of ['qyapi.weixin.qq.com/cgi-bin/webhook/send', 'ftp://example.gov.cn/hook', 'javascript:alert(1)']) {
      const result = await createRobotChannel('wecom').send({ channel: 'wecom', url }, message);
      assert.equal(!result.ok && result.retry, false, url);
    }
    assert.equal(hits.length, count);
  });

  test('企业微信 at 20 a minute per robot: the 21st answers "retry later" at once, another robot is not held', async () => {
    let clock = 1_000_000;
    const channel = createRobotChannel('wecom', { now: () => clock });
    const address = { channel: 'wecom' as const, url: `${base}/wecom/ok?key=wecom-key&robot=a` };
    for (let i = 0; i < 20; i += 1) {
      assert.equal((await channel.send(address, message)).ok, true, `message ${i + 1}`);
      clock += 1000;
    }
    const count = hits.length;
    const limited = await channel.send(address, message);
    assert.equal(limited.ok, false);
    assert.equal(!limited.ok && limited.retry, true);
    assert.equal(!limited.ok && limited.retryAfterMs, 40_000, 'the first of the 20 leaves the window 60 s after it was sent');
    assert.match(!limited.ok ? limited.reason : '', /^企业微信机器人发送频率已达上限，40 秒后重试/);
    assert.equal(hits.length, count, 'not sent');
    assert.equal((await channel.send({ ...address, url: `${base}/wecom/ok?key=wecom-key&robot=b` }, message)).ok, true);
    clock += 40_000;
    assert.equal((await channel.send(address, message)).ok, true);
  });
});

describe('RateLimiter', () => {
  test('飞书’s two windows: 5 a second and 100 a minute', () => {
    const limiter = new RateLimiter([
      { count: 100, windowMs: 60_000 },
      { count: 5, windowMs: 1_000 },
    ]);
    let clock = 0;
    for (let i = 0; i < 5; i += 1) assert.deepEqual(limiter.take('f', clock), { ok: true });
    assert.deepEqual(limiter.take('f', clock + 300), { ok: false, retryAfterMs: 700 });
    clock = 1000;
    for (let second = 1; second < 20; second += 1, clock += 1000)
      for (let i = 0; i < 5; i += 1) assert.equal(limiter.take('f', clock).ok, true, `${second}/${i}`);
    // 100 sent between 0 and 19 000: the minute window is full until the first leaves it at 60 000.
    assert.deepEqual(limiter.take('f', clock), { ok: false, retryAfterMs: 60_000 - clock });
    assert.equal(limiter.take('f', 60_000).ok, true);
  });

  test('a refused attempt is not counted, and a vendor hold outlasts the window', () => {
    const limiter = new RateLimiter([{ count: 1, windowMs: 1_000 }]);
    assert.equal(limiter.take('k', 0).ok, true);
    assert.equal(limiter.take('k', 500).ok, false);
    assert.equal(limiter.take('k', 1_000).ok, true, 'the refused try at 500 did not push the window on');
    limiter.blockUntil('k', 10_000);
    assert.deepEqual(limiter.take('k', 5_000), { ok: false, retryAfterMs: 5_000 });
    assert.equal(limiter.take('k', 10_000).ok, true);
  });
});
