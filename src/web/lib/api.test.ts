import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { api, ApiError, describeError, NetworkError, onUnauthenticated, queryParams, setCsrfToken } from './api.ts';

/** What the web app says when something fails: Chinese only, never an English gloss or an error code. */
describe('describeError', () => {
  const error = (status: number, code: string, message: string) => describeError(new ApiError(status, code, message));

  it('keeps a Chinese message and drops an English gloss after it', () => {
    assert.equal(error(403, 'forbidden', '没有权限执行此操作 (not allowed)'), '没有权限执行此操作');
    assert.equal(error(403, 'forbidden', '只有安全管理员可以这样做（only the security_admin may do this）'), '只有安全管理员可以这样做');
    assert.equal(
      error(
        409,
        'doc_number_taken',
        '文号“川环办发〔2017〕102号”已用于调度“2017年第二季度”的通报，请换一个文号 / document number 川环办发〔2017〕102号 is already used by the notice of round "2017年第二季度"',
      ),
      '文号“川环办发〔2017〕102号”已用于调度“2017年第二季度”的通报，请换一个文号',
    );
    assert.equal(error(422, 'invalid', '截止时间 2017-10-16 17:00（北京时间）已过'), '截止时间 2017-10-16 17:00（北京时间）已过', 'Chinese in brackets stays');
    assert.equal(error(422, 'invalid', '文件 report.xlsx 第 3 行“单位”无法识别'), '文件 report.xlsx 第 3 行“单位”无法识别', 'a file name stays');
  });

  it('says something Chinese for an English or empty message, without the code', () => {
    assert.equal(error(404, 'not_found', 'Not Found'), '未找到相应内容');
    assert.equal(error(418, 'teapot', "I'm a teapot"), '操作失败（错误 418），请稍后重试');
    assert.equal(error(502, 'http_502', 'Bad Gateway'), '服务器出错，请稍后重试');
    assert.equal(describeError(new NetworkError(new TypeError('Failed to fetch'))), '无法连接服务器，请检查网络后重试');
    assert.equal(describeError(new Error('boom')), '发生未知错误，请重试');
  });
});

/**
 * The typed client at run time (openapi-fetch under it): what reaches the server and what the app
 * gets back. `fetch` is stood in for; the client looks it up at each call.
 */
describe('api (the typed client)', () => {
  const realFetch = globalThis.fetch;
  let sent: Request[] = [];
  let answer: () => Response = () => Response.json({});
  beforeEach(() => {
    sent = [];
    globalThis.fetch = async (input: RequestInfo | URL) => {
      sent.push(input as Request);
      return answer();
    };
  });
  afterEach(() => {
    globalThis.fetch = realFetch;
    setCsrfToken(null);
  });

  it('fills the path and query string and answers the parsed JSON', async () => {
    answer = () => Response.json([{ id: 3, label: '2017年第二季度' }]);
    const rounds = await api.GET('/api/plans/{planId}/rounds', { params: { path: { planId: 7 }, query: { includeVoid: '1' } } });
    assert.deepEqual(rounds, [{ id: 3, label: '2017年第二季度' }]);
    const [request] = sent;
    assert.equal(request?.method, 'GET');
    assert.equal(new URL(request!.url).pathname + new URL(request!.url).search, '/api/plans/7/rounds?includeVoid=1');
    assert.equal(request?.credentials, 'same-origin');
    assert.equal(request?.headers.get('accept'), 'application/json');
    assert.equal(request?.headers.get('x-csrf-token'), null, 'a read carries no CSRF token');
  });

  it('sends a write as JSON with the CSRF token', async () => {
    setCsrfToken('token-1');
    answer = () => Response.json({ id: 3 }, { status: 201 });
    await api.POST('/api/rounds/{roundId}/void', { params: { path: { roundId: 3 } }, body: { reason: '误开' } });
    const [request] = sent;
    assert.equal(request?.method, 'POST');
    assert.equal(new URL(request!.url).pathname, '/api/rounds/3/void');
    assert.equal(request?.headers.get('x-csrf-token'), 'token-1');
    assert.equal(request?.headers.get('content-type'), 'application/json');
    assert.deepEqual(await request?.json(), { reason: '误开' });
  });

  it('sends a header parameter the route declares', async () => {
    await api.POST('/api/rounds/{roundId}/units/{unitId}/submit', {
      params: { path: { roundId: 3, unitId: 5 }, header: { 'idempotency-key': 'k-1' } },
      body: {},
    });
    assert.equal(sent[0]?.headers.get('idempotency-key'), 'k-1');
    assert.deepEqual(await sent[0]?.json(), {});
  });

  it('answers undefined for a 204', async () => {
    answer = () => new Response(null, { status: 204 });
    assert.equal(await api.DELETE('/api/attachments/{id}', { params: { path: { id: 5 } }, body: {} }), undefined);
  });

  it('uploads the form the route declares as multipart, in its order, with the CSRF token, not as JSON', async () => {
    setCsrfToken('token-2');
    await api.upload('/api/rounds/{roundId}/tasks/{taskId}/units/{unitId}/attachments', {
      params: { path: { roundId: 1, taskId: 2, unitId: 3 } },
      body: { file: new File(['x'], '佐证.pdf') },
    });
    const [request] = sent;
    assert.equal(new URL(request!.url).pathname, '/api/rounds/1/tasks/2/units/3/attachments');
    assert.match(request?.headers.get('content-type') ?? '', /^multipart\/form-data; boundary=/);
    assert.equal(request?.headers.get('x-csrf-token'), 'token-2');
    const file = (await request!.formData()).get('file');
    assert.ok(file instanceof File);
    assert.equal(file.name, '佐证.pdf', 'the file keeps its own name');

    await api.upload('/api/rounds/{roundId}/units/{unitId}/returned-table', {
      params: { path: { roundId: 1, unitId: 3 }, query: { mode: 'apply' } },
      body: { expectedVersions: JSON.stringify({ 7: 2 }), file: new File(['y'], '回传表.docx') },
    });
    const form = await sent[1]!.formData();
    assert.deepEqual([...form.keys()], ['expectedVersions', 'file'], 'the text field before the file, as the server reads them');
    assert.equal(form.get('expectedVersions'), '{"7":2}');
    assert.equal(new URL(sent[1]!.url).search, '?mode=apply');
  });

  it("throws the server's error envelope as ApiError", async () => {
    answer = () => Response.json({ error: { code: 'round_closed', message: '本轮已结束', details: { roundId: 3 } } }, { status: 409 });
    await assert.rejects(
      api.PATCH('/api/rounds/{roundId}', { params: { path: { roundId: 3 } }, body: { deadline: '2017-10-16T09:00:00.000Z' } }),
      (error: unknown) =>
        error instanceof ApiError && error.status === 409 && error.code === 'round_closed' && error.message === '本轮已结束' && error.details.roundId === 3,
    );
    answer = () => new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' });
    await assert.rejects(api.GET('/api/plans'), (error: unknown) => error instanceof ApiError && error.code === 'http_502' && error.message === 'Bad Gateway');
  });

  it('tells the app shell about a 401, unless the call expects one', async () => {
    let told = 0;
    const stop = onUnauthenticated(() => told++);
    try {
      answer = () => Response.json({ error: { code: 'unauthenticated', message: '请先登录' } }, { status: 401 });
      await assert.rejects(api.GET('/api/plans'), ApiError);
      assert.equal(told, 1);
      await assert.rejects(api.GET('/api/auth/me', { allowUnauthenticated: true }), ApiError);
      assert.equal(told, 1, 'the session probe answers 401 as a result');
    } finally {
      stop();
    }
  });

  it('turns a failed fetch into NetworkError, but lets an abort through', async () => {
    globalThis.fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    await assert.rejects(api.GET('/api/plans'), NetworkError);
    const controller = new AbortController();
    controller.abort();
    globalThis.fetch = async (input: RequestInfo | URL) => {
      (input as Request).signal.throwIfAborted();
      return Response.json([]);
    };
    await assert.rejects(
      api.GET('/api/plans', { signal: controller.signal }),
      (error: unknown) => error instanceof DOMException && error.name === 'AbortError',
    );
  });

  it('leaves empty filters out of the query string and writes true as 1', () => {
    assert.deepEqual(queryParams({ q: '环评', planId: 2, unanswered: true, current: false, leader: null, unitId: undefined, department: '' }), {
      q: '环评',
      planId: 2,
      unanswered: '1',
    });
  });
});
