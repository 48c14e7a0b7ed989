import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError, describeError, NetworkError } from './api.ts';

/** What the web app says when something fails: Chinese only, never an English gloss or an error code. */
describe('describeError', () => {
  const error = (status: number, code: string, message: string) => describeError(new ApiError(status, code, message));

  it('keeps a Chinese message and drops an English gloss after it', () => {
    assert.equal(error(403, 'forbidden', '没有权限执行此操作 (not allowed)'), '没有权限执行此操作');
    assert.equal(error(403, 'forbidden', '只有安全管理员可以这样做（only the security_admin may do this）'), '只有安全管理员可以这样做');
    assert.equal(
      error(409, 'doc_number_taken', '文号“川环办发〔2017〕102号”已用于调度“2017年第二季度”的通报，请换一个文号 / document number 川环办发〔2017〕102号 is already used by the notice of round "2017年第二季度"'),
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
